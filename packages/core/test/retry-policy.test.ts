import { describe, expect, test } from 'vitest'
import { createCarrierAuth, defineProfile, parseRetryAfter } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET, testProfile } from './support/test-profile.js'

describe('Retry-After, as a header value may arrive', () => {
  const now = Date.UTC(2026, 0, 1)

  test('delta seconds with spaces around them are still seconds', () => {
    expect(parseRetryAfter(' 7 ', now)).toBe(7000)
  })

  test.each([
    ['digits after letters', 'abc5'],
    ['words after digits', '5 seconds'],
  ])('%s are neither seconds nor a date: no wait is read', (_name, header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined()
  })
})

describe('the retry policy', () => {
  const f = useFixture()
  const auth = (extra: Parameters<typeof createTestAuth>[0] = {}) =>
    createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0.5 }, ...extra })

  test('a 429 without Retry-After backs off like a 5xx', async () => {
    f.server.queue({ status: 429 })
    expect((await auth().getToken()).accessToken).toBe('tok-1')
    // full jitter with random() = 0.5: half of the 250 ms base
    expect(f.clock.sleeps).toEqual([125])
    expect(f.ev.of('retry_scheduled')).toMatchObject([{ attempt: 1, delayMs: 125, code: 'rate_limited', status: 429 }])
  })

  test('a wait that would end exactly at the deadline is not waited: the first error is the answer', async () => {
    f.server.queue({ status: 503 })
    // random() = 0.5 of a 4 s ceiling: a 2 s wait, and 2 s is all the deadline allows.
    const a = auth({ retry: { baseDelayMs: 4000, maxDelayMs: 4000, deadlineMs: 2000, random: () => 0.5 } })
    await expect(a.getToken()).rejects.toMatchObject({ code: 'server_error', status: 503, attempts: 1 })
    expect(f.server.tokenRequests).toBe(1)
    expect(f.clock.sleeps).toEqual([])
  })

  test("an error the carrier profile's own code throws is not retried, even one that calls itself retryable", async () => {
    const bug = Object.assign(new Error('profile bug'), { retryable: true })
    const broken = defineProfile({
      ...testProfile,
      readToken: () => {
        throw bug
      },
    })
    const a = createCarrierAuth(broken, { clientId: 'client-1', clientSecret: SECRET, baseUrl: f.server.url, clock: f.clock, retry: { random: () => 0.5 } })
    await expect(a.getToken()).rejects.toBe(bug)
    expect(f.server.tokenRequests).toBe(1)
    expect(f.clock.sleeps).toEqual([])
  })
})
