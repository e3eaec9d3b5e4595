import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

const MIN = 60_000
/** A one-hour token with the default 60 s buffer is fresh until minute 59. */
const FRESH_UNTIL = 59 * MIN

/**
 * After a failed background refresh, the next one waits a quarter of the time the token has left,
 * at least 1 s and at most 30 s (token-provider.ts). Each case fails the refresh at `failAt`, then
 * asks for a token `after` ms later, and tells whether that call started another refresh.
 */
describe('the back-off after a failed background refresh', () => {
  const f = useFixture()

  async function refreshStartedAfter(failAt: number, after: number): Promise<boolean> {
    const a = createTestAuth({ baseUrl: f.server.url, clock: f.clock, refreshAheadMs: 10 * MIN, retry: { maxAttempts: 1 }, onEvent: f.ev.onEvent })
    await a.getToken()
    f.server.queue({ status: 503 })
    f.clock.advance(failAt)
    const failed = f.ev.next('token_refresh_failed')
    expect((await a.getToken()).accessToken).toBe('tok-1')
    await failed
    f.clock.advance(after)
    expect((await a.getToken()).accessToken).toBe('tok-1')
    // A forced refresh joins a background refresh in flight; it sends its own request only when none started.
    await a.getToken({ forceRefresh: true })
    const reasons = f.ev.of('token_requested').map((e) => e.reason)
    expect(reasons.slice(0, 2)).toEqual(['cold', 'refresh_ahead'])
    expect(reasons).toHaveLength(3)
    return reasons[2] === 'refresh_ahead'
  }

  test('with 8 minutes left it waits 30 s, the cap: none starts at 29.999 s', async () => {
    expect(await refreshStartedAfter(FRESH_UNTIL - 8 * MIN, 29_999)).toBe(false)
  })

  test('with 8 minutes left it waits 30 s, the cap: one starts at 30 s', async () => {
    expect(await refreshStartedAfter(FRESH_UNTIL - 8 * MIN, 30_000)).toBe(true)
  })

  test('with 1 minute left it waits a quarter of it: none starts at 14.999 s', async () => {
    expect(await refreshStartedAfter(FRESH_UNTIL - MIN, 14_999)).toBe(false)
  })

  test('with 1 minute left it waits a quarter of it: one starts at 15 s', async () => {
    expect(await refreshStartedAfter(FRESH_UNTIL - MIN, 15_000)).toBe(true)
  })

  test('with 2 seconds left it still waits 1 s, the floor: none starts at 0.999 s', async () => {
    expect(await refreshStartedAfter(FRESH_UNTIL - 2000, 999)).toBe(false)
  })

  test('with 2 seconds left it still waits 1 s, the floor: one starts at 1 s', async () => {
    expect(await refreshStartedAfter(FRESH_UNTIL - 2000, 1000)).toBe(true)
  })
})
