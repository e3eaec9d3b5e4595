import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('what a token request reports', () => {
  const f = useFixture()
  const auth = (extra: Parameters<typeof createTestAuth>[0] = {}) =>
    createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0.5 }, ...extra })

  test('the acquisition takes as long as its waits, by the clock', async () => {
    f.server.queue({ status: 503 })
    await auth().getToken()
    expect(f.ev.of('token_acquired')).toMatchObject([{ durationMs: 125, attempts: 2, source: 'network' }])
  })

  test('a store that forgets is named once per provider, with when the cooldown ends', async () => {
    f.server.queue({ status: 401 }, { status: 401 })
    const a = auth()
    const t0 = f.clock.now()
    await expect(a.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    f.clock.advance(10 * 60_000)
    await expect(a.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(f.ev.of('credentials_rejected')).toHaveLength(2)
    expect(f.ev.of('ledger_volatile')).toMatchObject([{ cooldownUntil: t0 + 10 * 60_000 }])
  })

  test('a token that has expired by the time its answer is read is invalid_response, not a token', async () => {
    f.server.queue({ status: 200, body: { access_token: 'tok-late', token_type: 'bearer', expires_in: 1 } })
    // The answer arrives a second after the request left: its one-second lifetime is over.
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      f.clock.advance(1000)
      return response
    }
    await expect(auth({ fetch: slowFetch, retry: { maxAttempts: 1 } }).getToken()).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('the token it issued has already expired'),
    })
  })
})

describe('the size limit of a token answer', () => {
  const f = useFixture()
  const get = () => createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { maxAttempts: 1 } }).getToken()
  /** A token answer of exactly `bytes` bytes. */
  const answerOf = (bytes: number) => {
    const head = '{"access_token":"tok-sized","token_type":"bearer","pad":"'
    return `${head}${'x'.repeat(bytes - head.length - 2)}"}`
  }

  test('an answer of exactly 64 KB is read', async () => {
    f.server.queue({ status: 200, raw: answerOf(64 * 1024) })
    expect((await get()).accessToken).toBe('tok-sized')
  })

  test('one byte more is refused, saying the limit', async () => {
    f.server.queue({ status: 200, raw: answerOf(64 * 1024 + 1) })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('the body is larger than 64 KB') })
  })
})
