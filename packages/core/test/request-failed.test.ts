import { describe, expect, test } from 'vitest'
import { CarrierAuthError } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('token_request_failed', () => {
  const f = useFixture()
  const auth = (extra: Parameters<typeof createTestAuth>[0] = {}) =>
    createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0.5 }, ...extra })

  test('four 503s make one token_request_failed with the final error, its code, 4 attempts and the time it took', async () => {
    f.server.queue(...Array.from({ length: 4 }, () => ({ status: 503 })))
    const thrown = await auth().getToken().catch((e: unknown) => e)
    const failed = f.ev.of('token_request_failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ reason: 'cold', code: 'server_error', attempts: 4, carrier: 'testcarrier' })
    expect(failed[0]?.error).toBe(thrown)
    // the three backoff waits (125 + 250 + 500 ms) are the whole duration on a manual clock
    expect(failed[0]?.durationMs).toBe(875)
  })

  test('the failure event is emitted before the caller sees the error', async () => {
    f.server.queue({ status: 401 })
    await auth().getToken().catch(() => {})
    expect(f.ev.events.at(-1)?.type).toBe('token_request_failed')
  })

  test('five callers waiting on one failed request make one token_request_failed', async () => {
    f.server.queue(...Array.from({ length: 4 }, () => ({ status: 500 })))
    const a = auth()
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => a.getToken()))
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'))
    expect(f.server.tokenRequests).toBe(4)
    expect(f.ev.of('token_request_failed')).toHaveLength(1)
  })

  test("a caller who aborts its own wait makes no token_request_failed, and the shared request succeeds", async () => {
    const a = auth()
    const controller = new AbortController()
    controller.abort(new Error('caller gave up'))
    await expect(a.getToken({ signal: controller.signal })).rejects.toThrow('caller gave up')
    expect((await a.getToken()).accessToken).toBe('tok-1')
    expect(f.ev.of('token_request_failed')).toHaveLength(0)
    expect(f.ev.of('token_acquired')).toHaveLength(1)
  })

  test('a request refused by the credentials cooldown is reported with its code and 0 attempts', async () => {
    f.server.queue({ status: 401 })
    const a = auth()
    await a.getToken().catch(() => {})
    const refused = await a.getToken().catch((e: unknown) => e)
    expect(CarrierAuthError.isInstance(refused) && refused.code).toBe('credentials_cooldown')
    expect(f.server.tokenRequests).toBe(1)
    expect(f.ev.of('token_request_failed').map((e) => [e.code, e.attempts])).toEqual([
      ['invalid_credentials', 1],
      ['credentials_cooldown', 0],
    ])
  })

  test('a forced refresh that fails says so in its reason', async () => {
    const a = auth()
    await a.getToken()
    f.server.queue({ status: 401 })
    await a.getToken({ forceRefresh: true }).catch(() => {})
    expect(f.ev.of('token_request_failed')[0]).toMatchObject({ reason: 'forced', code: 'invalid_credentials' })
  })

  test('a failed background refresh is a token_refresh_failed with its duration, not a token_request_failed', async () => {
    const a = auth({ refreshAheadMs: 10 * 60_000, retry: { maxAttempts: 2, random: () => 0.5 } })
    await a.getToken()
    f.server.queue({ status: 503 }, { status: 503 })
    f.clock.advance(51 * 60_000)
    const refreshFailed = f.ev.next('token_refresh_failed')
    expect((await a.getToken()).accessToken).toBe('tok-1')
    expect(await refreshFailed).toMatchObject({ durationMs: 125, error: { code: 'server_error', attempts: 2 } })
    expect(f.ev.of('token_request_failed')).toHaveLength(0)
  })
})
