import { describe, expect, test } from 'vitest'
import { parseRetryAfter } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('failures', () => {
  const f = useFixture()
  const auth = (extra: Parameters<typeof createTestAuth>[0] = {}) =>
    createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0.5 }, ...extra })

  test('a 5xx is retried with backoff and full jitter, then succeeds', async () => {
    f.server.queue({ status: 503 }, { status: 500 })
    expect((await auth().getToken()).accessToken).toBe('tok-1')
    expect(f.server.tokenRequests).toBe(3)
    // full jitter with random() = 0.5: half of 250 ms, then half of 500 ms
    expect(f.clock.sleeps).toEqual([125, 250])
  })

  test('persistent 5xx surfaces server_error after maxAttempts', async () => {
    f.server.queue(...Array.from({ length: 4 }, () => ({ status: 502 })))
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'server_error', status: 502, attempts: 4, retryable: true })
    expect(f.server.tokenRequests).toBe(4)
  })

  test('a dropped connection is retried, then surfaces network_error', async () => {
    f.server.queue({ drop: true }, { drop: true })
    await expect(auth({ retry: { maxAttempts: 2 } }).getToken()).rejects.toMatchObject({ code: 'network_error', attempts: 2 })
    expect(f.server.tokenRequests).toBe(2)
  })

  test('a slow endpoint gives timeout', async () => {
    f.server.queue({ hang: true })
    await expect(auth({ timeoutMs: 50, retry: { maxAttempts: 1 } }).getToken()).rejects.toMatchObject({ code: 'timeout' })
  })

  test('429 honours Retry-After in seconds', async () => {
    f.server.queue({ status: 429, headers: { 'retry-after': '7' } })
    expect((await auth().getToken()).accessToken).toBe('tok-1')
    expect(f.clock.sleeps).toEqual([7000])
  })

  test('429 honours Retry-After as an HTTP date', async () => {
    const at = new Date(f.clock.now() + 12_000).toUTCString()
    f.server.queue({ status: 429, headers: { 'retry-after': at } })
    await auth().getToken()
    expect(f.clock.sleeps).toEqual([12_000])
  })

  test('a Retry-After beyond the deadline surfaces rate_limited with the wait', async () => {
    f.server.queue({ status: 429, headers: { 'retry-after': '120' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000 })
    expect(f.server.tokenRequests).toBe(1)
  })

  test('retries stop at the total deadline', async () => {
    f.server.queue(...Array.from({ length: 10 }, () => ({ status: 503 })))
    const a = auth({ retry: { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 2500, random: () => 0.99 } })
    await expect(a.getToken()).rejects.toMatchObject({ code: 'server_error' })
    expect(f.server.tokenRequests).toBe(3)
  })

  test('wrong credentials are never retried, and a cooldown then answers without the network', async () => {
    f.server.queue({ status: 401, body: { error: 'invalid_client' } })
    const a = auth()
    await expect(a.getToken()).rejects.toMatchObject({
      code: 'invalid_credentials',
      status: 401,
      retryable: false,
      message: expect.stringContaining('not sent again for 10 min'),
    })
    await expect(a.getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    await expect(a.getToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(f.server.tokenRequests).toBe(1)
    expect(f.ev.of('credentials_rejected')).toHaveLength(1)
  })

  test('the cooldown ends after the carrier floor, and a user cannot shorten it', async () => {
    f.server.queue({ status: 401 })
    const a = auth({ credentialsCooldownMs: 1000 })
    await expect(a.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    f.clock.advance(10 * 60_000 - 1)
    await expect(a.getToken()).rejects.toMatchObject({ code: 'credentials_cooldown', retryAfterMs: 1 })
    f.clock.advance(1)
    expect((await a.getToken()).accessToken).toBe('tok-1')
  })

  test('the cooldown holds for a new provider with the same rejected secret in this process', async () => {
    f.server.queue({ status: 401 })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(f.server.tokenRequests).toBe(1)
  })

  test('a new secret after a rejected one is tried at once', async () => {
    f.server.queue({ status: 401 })
    await expect(auth({ clientSecret: 'a-typo' }).getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect((await auth().getToken()).accessToken).toBe('tok-1')
    expect(f.server.tokenRequests).toBe(2)
  })

  test('a malformed JSON body is invalid_response, not retried', async () => {
    f.server.queue({ status: 200, raw: '{"access_token":"tok-secret-x' })
    const error = await auth().getToken().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_response' })
    expect(String((error as Error).message)).not.toContain('tok-secret-x')
    expect(f.server.tokenRequests).toBe(1)
  })

  test('an HTML page is invalid_response', async () => {
    f.server.queue({ status: 200, raw: '<!DOCTYPE html><html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response' })
  })

  test('an HTML error page with a 4xx is invalid_response, with a 5xx server_error', async () => {
    f.server.queue({ status: 404, raw: '<html>Not found</html>', headers: { 'content-type': 'text/html' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response', status: 404 })
    f.server.queue(...Array.from({ length: 4 }, () => ({ status: 502, raw: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } })))
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'server_error', status: 502 })
  })

  test('a body without an access token is invalid_response', async () => {
    f.server.queue({ status: 200, body: { token_type: 'bearer', expires_in: 3600 } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response' })
  })

  test('a failed request caches nothing', async () => {
    f.server.queue({ status: 200, body: { token_type: 'bearer' } })
    const a = auth()
    await expect(a.getToken()).rejects.toMatchObject({ code: 'invalid_response' })
    expect((await a.getToken()).accessToken).toBe('tok-1')
  })
})

describe('parseRetryAfter', () => {
  test.each([
    ['delta seconds', '30', 30_000],
    ['zero', '0', 0],
    ['an HTTP date', new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), 10_000],
    ['a date in the past', new Date(Date.UTC(2025, 0, 1)).toUTCString(), 0],
    ['garbage', 'soon', undefined],
    // V8's Date.parse reads "in 5" as May 2001: a 0 ms wait, a retry at once, where the server
    // asked for one it did not say how to read.
    ['a phrase Date.parse would read as a date', 'in 5', undefined],
    ['an ISO date, which is no HTTP date', '2026-01-01T00:00:10Z', undefined],
    ['the obsolete RFC 850 form', 'Thursday, 01-Jan-26 00:00:10 GMT', 10_000],
    ['the obsolete asctime form, which is UTC', 'Thu Jan  1 00:00:10 2026', 10_000],
    ['absent', null, undefined],
  ])('%s', (_name, header, want) => {
    expect(parseRetryAfter(header, Date.UTC(2026, 0, 1))).toBe(want)
  })
})

describe('the total deadline', () => {
  const f = useFixture()

  test('caps a single attempt: a hanging endpoint fails at the deadline, not at timeoutMs', async () => {
    f.server.queue({ hang: true })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, timeoutMs: 60_000, retry: { deadlineMs: 50, maxAttempts: 1 } })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('within 50 ms') })
  })
})
