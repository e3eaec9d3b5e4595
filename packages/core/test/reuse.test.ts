import { describe, expect, test } from 'vitest'
import { MemoryStore } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('reuse', () => {
  const f = useFixture()

  test('a fresh token is returned without another request', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const first = await auth.getToken()
    f.clock.advance(30 * 60_000)
    const second = await auth.getToken()
    expect(second).toBe(first)
    expect(f.server.tokenRequests).toBe(1)
  })

  test('the hot path resolves in one microtask, with no I/O', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    await auth.getToken()
    let resolved = false
    void auth.getToken().then(() => (resolved = true))
    await Promise.resolve()
    expect(resolved).toBe(true)
  })

  test('two providers sharing a store make one request', async () => {
    const store = new MemoryStore({ clock: f.clock })
    const a = createTestAuth({ baseUrl: f.server.url, clock: f.clock, store })
    const b = createTestAuth({ baseUrl: f.server.url, clock: f.clock, store })
    const [ta, tb] = await Promise.all([a.getToken(), b.getToken()])
    expect(tb.accessToken).toBe(ta.accessToken)
    expect(f.server.tokenRequests).toBe(1)
  })

  test('authorizationHeader is the bearer header of the cached token', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    expect(await auth.authorizationHeader()).toBe('Bearer tok-1')
  })
})
