import { describe, expect, test } from 'vitest'
import { MemoryStore, type TokenStore } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('single flight', () => {
  const f = useFixture()

  test('should not make extra requests for concurrent calls', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => auth.getToken()))
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(f.server.tokenRequests).toBe(1)
  })

  test("one caller's abort rejects only that caller", async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const controller = new AbortController()
    const aborted = auth.getToken({ signal: controller.signal })
    const others = Promise.all([auth.getToken(), auth.getToken()])
    controller.abort(new Error('caller gave up'))
    await expect(aborted).rejects.toThrow('caller gave up')
    expect((await others).map((t) => t.accessToken)).toEqual(['tok-1', 'tok-1'])
    expect(f.server.tokenRequests).toBe(1)
  })

  test('should retry the provider if the previous request failed', async () => {
    f.server.queue({ status: 401 })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, credentialsCooldownMs: 0 })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    f.clock.advance(10 * 60_000)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
  })

  test('concurrent forced refreshes share one request', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    await auth.getToken()
    const forced = await Promise.all(Array.from({ length: 50 }, () => auth.getToken({ forceRefresh: true })))
    expect(new Set(forced.map((t) => t.accessToken))).toEqual(new Set(['tok-2']))
    expect(f.server.tokenRequests).toBe(2)
  })
})

describe('single flight without a store lock', () => {
  const f = useFixture()

  test('concurrent callers of one provider share one request even when the store cannot lock', async () => {
    const inner = new MemoryStore({ clock: f.clock })
    const lockless: TokenStore = {
      get: (k) => inner.get(k),
      set: (k, t, ttl) => inner.set(k, t, ttl),
      compareAndSet: (k, v, t, ttl) => inner.compareAndSet(k, v, t, ttl),
      delete: (k, only) => inner.delete(k, only),
      getMarker: (k) => inner.getMarker(k),
      setMarker: (k, v, ttl) => inner.setMarker(k, v, ttl),
    }
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, store: lockless })
    await Promise.all(Array.from({ length: 500 }, () => auth.getToken()))
    expect(f.server.tokenRequests).toBe(1)
  })
})
