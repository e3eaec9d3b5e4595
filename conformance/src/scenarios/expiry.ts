import assert from 'node:assert/strict'
import { factsOf } from '../facts.js'
import { scenario } from './scenario.js'

const BUFFER = 60_000
// @carrier-auth/core's README: "a token is never handed out within `expiryBufferMs` (60 s, capped at
// half the lifetime) of expiry". The default is a promise of core, so the matrix holds it to it.
const DEFAULT_BUFFER = 60_000

export const expiry = [
  scenario('expiry.before-buffer', 'a token is reused until the expiry buffer', async (ctx) => {
    const auth = ctx.auth({ refreshAheadMs: 0, expiryBufferMs: BUFFER })
    const token = ctx.seen(await auth.getToken())
    ctx.clock.set(token.expiresAt - BUFFER - 1)
    assert.equal(await auth.getToken(), token)
    assert.equal(ctx.tokenRequests(), 1)
  }),

  scenario('expiry.after-buffer', 'inside the expiry buffer a new token is fetched', async (ctx) => {
    const auth = ctx.auth({ refreshAheadMs: 0, expiryBufferMs: BUFFER })
    const token = ctx.seen(await auth.getToken())
    ctx.clock.set(token.expiresAt - BUFFER)
    const next = ctx.seen(await auth.getToken())
    assert.notEqual(next.accessToken, token.accessToken)
    assert.equal(ctx.tokenRequests(), 2)
  }),

  scenario('expiry.default-buffer', 'with default options, no token is handed out within 60 s of its expiry', async (ctx) => {
    const auth = ctx.auth()
    const token = ctx.seen(await auth.getToken())
    ctx.clock.set(token.expiresAt - DEFAULT_BUFFER + 1_000)
    const next = ctx.seen(await auth.getToken())
    assert.notEqual(next.accessToken, token.accessToken, `a token with ${(token.expiresAt - ctx.clock.now()) / 1000} s to live was handed out`)
    assert.ok(next.expiresAt - ctx.clock.now() > DEFAULT_BUFFER, 'the new token is outside the buffer')
  }),

  scenario('expiry.refresh-advice', "with default options a token is replaced by the age the carrier's doc advises", async (ctx) => {
    const { max } = factsOf(ctx.carrier.name).refreshAfterSeconds!
    const auth = ctx.auth()
    const token = ctx.seen(await auth.getToken())
    ctx.clock.set(token.issuedAt + max * 1000)
    const refreshed = ctx.nextEvent('token_acquired')
    const served = ctx.seen(await auth.getToken())
    // Served the current token: a refresh must be under way (refresh-ahead), which starts within a
    // few turns of the event loop; none started means the token was left to age past the advice.
    const requested = () => ctx.events.filter((e) => e.type === 'token_requested').length
    for (let turn = 0; served === token && requested() < 2 && turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve))
    assert.ok(served !== token || requested() >= 2, `no new token was requested once the token was ${max} s old`)
    if (served === token) await refreshed
    assert.equal(ctx.tokenRequests(), 2, `no new token was requested once the token was ${max} s old`)
  }, {
    emulatorOnly: true,
    documentedLifetime: true,
    appliesTo: (carrier) => factsOf(carrier.name).refreshAfterSeconds !== undefined || 'the doc gives no refresh advice before expiry',
  }),

  scenario('expiry.refresh-ahead', 'refresh-ahead serves the current token and refreshes once in the background', async (ctx) => {
    const auth = ctx.auth({ refreshAheadMs: 10 * 60_000 })
    const token = ctx.seen(await auth.getToken())
    ctx.clock.set(token.expiresAt - 5 * 60_000)
    const refreshed = ctx.nextEvent('token_acquired')
    const during = await Promise.all(Array.from({ length: 50 }, () => auth.getToken()))
    assert.ok(during.every((t) => t === token), 'callers inside the window get the current token at once')
    await refreshed
    assert.equal(ctx.tokenRequests(), 2)
    assert.notEqual(ctx.seen(await auth.getToken()).accessToken, token.accessToken)
  }),

  scenario('expiry.carrier-lifetime', "the lifetime comes from the carrier's own fields", async (ctx) => {
    const token = ctx.seen(await ctx.auth().getToken())
    // The emulator issues 4321 s (as the carrier encodes it: Pitney Bowes' string expiresIn, …).
    assert.equal(token.expiresAt - token.issuedAt, 4321_000)
  }, { emulatorOnly: true }),

  scenario('expiry.default-lifetime', "a missing lifetime gets the carrier's documented default", async (ctx) => {
    ctx.inject({ type: 'missing_expires_in' })
    const token = ctx.seen(await ctx.auth().getToken())
    const documented = factsOf(ctx.carrier.name).defaultLifetimeSeconds * 1000
    const lifetime = token.expiresAt - token.issuedAt
    assert.equal(lifetime, documented, `a token without a lifetime got ${lifetime} ms; the spec's default is ${documented} ms`)
  }, { emulatorOnly: true }),
]
