import assert from 'node:assert/strict'
import { scenario } from './scenario.js'

const CALLERS = 1000

export const concurrency = [
  scenario('concurrency.cold-burst', `${CALLERS} concurrent callers on a cold cache make one request`, async (ctx) => {
    const auth = ctx.auth()
    const tokens = await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken()))
    assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
    assert.equal(ctx.tokenRequests(), 1)
  }),

  scenario('concurrency.refresh-burst', `${CALLERS} concurrent callers after expiry make one more request`, async (ctx) => {
    const auth = ctx.auth({ refreshAheadMs: 0 })
    const first = ctx.seen(await auth.getToken())
    ctx.clock.set(first.expiresAt)
    const tokens = await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken()))
    const distinct = new Set(tokens.map((t) => ctx.seen(t).accessToken))
    assert.equal(distinct.size, 1)
    assert.ok(!distinct.has(first.accessToken))
    assert.equal(ctx.tokenRequests(), 2)
  }),

  scenario('concurrency.abort-one', "one caller's abort leaves the others served", async (ctx) => {
    const auth = ctx.auth()
    const controller = new AbortController()
    const aborted = auth.getToken({ signal: controller.signal })
    const others = Promise.all(Array.from({ length: 10 }, () => auth.getToken()))
    controller.abort(new DOMException('caller gave up', 'AbortError'))
    await assert.rejects(aborted, { name: 'AbortError' })
    const tokens = await others
    assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
    assert.equal(ctx.tokenRequests(), 1)
  }),
]
