import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('refresh-ahead', () => {
  const f = useFixture()
  const auth = (options: { maxAttempts?: number } = {}) =>
    createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      refreshAheadMs: 10 * 60_000,
      retry: { maxAttempts: options.maxAttempts ?? 4 },
      onEvent: f.ev.onEvent,
    })

  test('inside the window the current token is served and one background refresh starts', async () => {
    const a = auth()
    await a.getToken()
    f.clock.advance(51 * 60_000)
    const refreshed = f.ev.next('token_acquired')
    const during = await Promise.all([a.getToken(), a.getToken(), a.getToken()])
    expect(during.map((t) => t.accessToken)).toEqual(['tok-1', 'tok-1', 'tok-1'])
    await refreshed
    expect(f.server.tokenRequests).toBe(2)
    expect((await a.getToken()).accessToken).toBe('tok-2')
  })

  test('a failed background refresh is an event, not an error for the caller', async () => {
    const a = auth({ maxAttempts: 1 })
    await a.getToken()
    f.server.queue({ status: 503 })
    f.clock.advance(51 * 60_000)
    const failed = f.ev.next('token_refresh_failed')
    expect((await a.getToken()).accessToken).toBe('tok-1')
    expect((await failed).error.code).toBe('server_error')
    expect((await a.getToken()).accessToken).toBe('tok-1')
  })

  test('after a failed background refresh the next one waits instead of hammering', async () => {
    const a = auth({ maxAttempts: 1 })
    await a.getToken()
    f.server.queue({ status: 503 })
    f.clock.advance(51 * 60_000)
    const failed = f.ev.next('token_refresh_failed')
    await a.getToken()
    await failed
    f.clock.advance(999)
    for (let i = 0; i < 20; i++) await a.getToken()
    // A forced refresh joins a background refresh in flight, so its reason shows whether one started.
    await a.getToken({ forceRefresh: true })
    expect(f.ev.of('token_requested').map((e) => e.reason)).toEqual(['cold', 'refresh_ahead', 'forced'])
  })

  test('no refresh-ahead starts before half the lifetime, whatever the window', async () => {
    const a = createTestAuth({ baseUrl: f.server.url, clock: f.clock, refreshAheadMs: 10 * 3600_000 })
    await a.getToken()
    f.clock.advance(30 * 60_000 - 1)
    await a.getToken()
    expect(f.server.tokenRequests).toBe(1)
  })
})
