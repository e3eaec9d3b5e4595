import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuthorizationCodeAuth, MemoryStore, TokenStore } from '@carrier-auth/core'
import { FileStore } from '@carrier-auth/core/file-store'
import { type Scenario, type ScenarioContext, scenario } from './scenario.js'

// Issue 12: the chain of single-use refresh tokens is never lost and never replayed, whatever
// fails. Each scenario counts the emulator's refreshes and replays (a refresh token sent twice).

const REDIRECT = 'http://127.0.0.1:8765/callback'
const ACCOUNT = 'customer-1'

const rotating = {
  emulatorOnly: true,
  appliesTo: (carrier: ScenarioContext['carrier']) => carrier.rotatesRefreshTokens || 'the carrier issues no refresh tokens',
} satisfies Partial<Scenario>

/** Connects the account, optionally for a narrower scope than the one configured. */
async function connect(ctx: ScenarioContext, auth: AuthorizationCodeAuth, scope?: string) {
  const asked = auth.authorizeUrl({ redirectUri: REDIRECT, ...(scope ? { scope } : {}) })
  const location = new URL((await fetch(asked.url, { redirect: 'manual' })).headers.get('location') ?? '')
  const token = await auth.exchangeCode({
    code: location.searchParams.get('code') ?? '',
    state: location.searchParams.get('state') ?? '',
    expectedState: asked.state,
    redirectUri: REDIRECT,
    account: ACCOUNT,
    scope: asked.scope,
  })
  return ctx.seen(token)
}

/** A process of the application: its own provider of the connected account. */
const processOf = (ctx: ScenarioContext, options: Parameters<ScenarioContext['auth']>[0] = {}) => (ctx.auth(options) as AuthorizationCodeAuth).forAccount(ACCOUNT)

function noReplays(ctx: ScenarioContext) {
  assert.equal(ctx.emulator!.stats.refreshTokenReplays, 0, 'a refresh token was sent twice')
}

/** The same store, with its lock unreachable (a Redis outage, a lock that timed out). */
function withoutLock(inner: MemoryStore): TokenStore {
  return {
    get: (k) => inner.get(k),
    set: (k, t, ttl) => inner.set(k, t, ttl),
    compareAndSet: (k, v, t, ttl) => inner.compareAndSet(k, v, t, ttl),
    delete: (k, only) => inner.delete(k, only),
    lock: () => Promise.reject(new Error('the store is unreachable')),
    getMarker: (k) => inner.getMarker(k),
    setMarker: (k, v, ttl) => inner.setMarker(k, v, ttl),
  }
}

const PROCESSES = 4
const CALLERS = 25

export const rotationChain: Scenario[] = [
  scenario('rotation.invalidate-keeps-refresh-token', 'invalidate() drops the access token only: a cold process refreshes with the kept refresh token', async (ctx) => {
    const first = await connect(ctx, ctx.auth() as AuthorizationCodeAuth)
    await processOf(ctx).invalidate(first)
    const fresh = ctx.seen(await processOf(ctx).getToken())
    assert.notEqual(fresh.accessToken, first.accessToken)
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 1)
    noReplays(ctx)
  }, rotating),

  scenario('rotation.scope-from-authorization', 'a narrower authorized scope: the exchange and the refresh send the scope the customer granted', async (ctx) => {
    const configured = (ctx.emulator!.credentials as { scope?: string }).scope ?? ''
    const narrower = configured.split(' ')[0]!
    const first = await connect(ctx, ctx.auth() as AuthorizationCodeAuth, narrower)
    assert.equal(first.scope, narrower)
    ctx.clock.set(first.expiresAt)
    const fresh = ctx.seen(await processOf(ctx).getToken())
    assert.equal(fresh.scope, narrower)
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 1)
  }, rotating),

  scenario('rotation.lost-answer', "a refresh answer held past the timeout is awaited and stored: sent once, and a second process reads the late pair", async (ctx) => {
    const first = await connect(ctx, ctx.auth() as AuthorizationCodeAuth)
    ctx.clock.set(first.expiresAt)
    ctx.inject({ type: 'slow', delayMs: 800 })
    const late = ctx.seen(await processOf(ctx, { timeoutMs: 100 }).getToken())
    const read = ctx.seen(await processOf(ctx).getToken())
    assert.equal(read.accessToken, late.accessToken, 'the second process should read the late pair from the store')
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 1)
    noReplays(ctx)
  }, rotating),

  scenario('rotation.store-outage', "with the store's lock unreachable an expired token is store_unavailable (no refresh sent), a valid one is served, and the chain survives", async (ctx) => {
    const first = await connect(ctx, ctx.auth() as AuthorizationCodeAuth)
    const outage = withoutLock(ctx.store)
    assert.equal((await processOf(ctx, { store: outage }).getToken()).accessToken, first.accessToken)
    ctx.clock.set(first.expiresAt)
    await ctx.rejects(processOf(ctx, { store: outage }).getToken(), 'store_unavailable')
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 0, 'no refresh may be sent without the lock')
    ctx.seen(await processOf(ctx).getToken())
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 1)
    noReplays(ctx)
  }, rotating),

  scenario(
    'rotation.processes-share-file',
    `${PROCESSES} FileStore instances on one file (as ${PROCESSES} processes open it) × ${CALLERS} callers, 3 expiries: one refresh each, no replay, no invalid_grant`,
    async (ctx) => {
      const folder = await mkdtemp(join(tmpdir(), 'carrier-auth-conformance-'))
      try {
        const path = join(folder, 'tokens.json')
        const stores = Array.from({ length: PROCESSES }, () => new FileStore({ path, clock: ctx.clock }))
        ctx.outputs.push(...stores)
        let expiresAt = (await connect(ctx, ctx.auth({ store: stores[0] }) as AuthorizationCodeAuth)).expiresAt
        const processes = stores.map((store) => processOf(ctx, { store }))
        for (let round = 1; round <= 3; round++) {
          ctx.clock.set(expiresAt)
          const tokens = await Promise.all(processes.flatMap((p) => Array.from({ length: CALLERS }, () => p.getToken())))
          assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
          assert.equal(ctx.emulator!.stats.refreshTokenUses, round)
          expiresAt = tokens[0]!.expiresAt
        }
        noReplays(ctx)
      } finally {
        await rm(folder, { recursive: true, force: true })
      }
    },
    rotating,
  ),
]
