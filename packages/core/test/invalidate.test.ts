import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('invalidate', () => {
  const f = useFixture()

  test('a burst of invalidations of one token causes one refresh', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const stale = await auth.getToken()
    await Promise.all(Array.from({ length: 50 }, () => auth.invalidate(stale)))
    const fresh = await Promise.all(Array.from({ length: 50 }, () => auth.getToken()))
    expect(new Set(fresh.map((t) => t.accessToken))).toEqual(new Set(['tok-2']))
    expect(f.server.tokenRequests).toBe(2)
  })

  test('invalidating a token that is no longer cached keeps the current one', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const old = await auth.getToken()
    const current = await auth.getToken({ forceRefresh: true })
    await auth.invalidate(old)
    expect(await auth.getToken()).toBe(current)
    expect(f.server.tokenRequests).toBe(2)
  })

  test('forceRefresh never hands back the token it replaced, even from a shared store', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const old = await auth.getToken()
    const fresh = await auth.getToken({ forceRefresh: true })
    expect(fresh.accessToken).not.toBe(old.accessToken)
  })
})

describe('forceRefresh after a failure', () => {
  const f = useFixture()

  test('a failed forced refresh does not bring the dropped token back', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { maxAttempts: 1 } })
    const dropped = await auth.getToken()
    f.server.queue({ status: 503 })
    await expect(auth.getToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'server_error' })
    expect((await auth.getToken()).accessToken).not.toBe(dropped.accessToken)
  })
})
