import assert from 'node:assert/strict'
import { scenario } from './scenario.js'

export const reuse = [
  scenario('reuse.sequential', 'sequential calls reuse one token', async (ctx) => {
    const auth = ctx.auth()
    const first = ctx.seen(await auth.getToken())
    for (let i = 0; i < 10; i++) {
      ctx.clock.advance(60_000)
      assert.equal(await auth.getToken(), first)
    }
    assert.equal(ctx.tokenRequests(), 1)
  }),

  scenario('reuse.shared-store', 'two providers sharing a store make one request', async (ctx) => {
    const [a, b] = [ctx.auth(), ctx.auth()]
    const ta = ctx.seen(await a.getToken())
    const tb = ctx.seen(await b.getToken())
    assert.equal(tb.accessToken, ta.accessToken)
    assert.equal(ctx.tokenRequests(), 1)
  }),
]
