import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('events', () => {
  const f = useFixture()

  test('a token acquisition reports request, retry and acquisition with duration and attempts', async () => {
    f.server.queue({ status: 503 })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0 } })
    await auth.getToken()
    expect(f.ev.events.map((e) => e.type)).toEqual(['token_requested', 'retry_scheduled', 'token_requested', 'token_acquired'])
    expect(f.ev.of('token_acquired')[0]).toMatchObject({ source: 'network', attempts: 2, carrier: 'testcarrier' })
    expect(f.ev.of('token_acquired')[0]?.durationMs).toBeGreaterThanOrEqual(0)
    expect(f.ev.of('retry_scheduled')[0]).toMatchObject({ code: 'server_error', status: 503, attempt: 1 })
  })

  test('rejected credentials are reported with the end of the cooldown', async () => {
    f.server.queue({ status: 401 })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent })
    await auth.getToken().catch(() => {})
    expect(f.ev.of('credentials_rejected')[0]).toMatchObject({ status: 401, cooldownUntil: f.clock.now() + 10 * 60_000 })
  })

  test('a listener that throws does not break a token request', async () => {
    const auth = createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      onEvent: () => {
        throw new Error('broken logger')
      },
    })
    expect((await auth.getToken()).accessToken).toBe('tok-1')
  })
})

describe('event times and reasons', () => {
  const f = useFixture()

  test("every event carries `at`, the injected clock's time when it happened", async () => {
    f.server.queue({ status: 503 })
    const start = f.clock.now()
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0.5 } })
    await auth.getToken()
    // the backoff of 125 ms is the only time that passes on the manual clock
    expect(f.ev.events.map((e) => [e.type, e.at - start])).toEqual([
      ['token_requested', 0],
      ['retry_scheduled', 0],
      ['token_requested', 125],
      ['token_acquired', 125],
    ])
  })

  test('token_acquired says why the token was fetched and where from', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent })
    await auth.getToken()
    await auth.getToken({ forceRefresh: true })
    expect(f.ev.of('token_acquired').map((e) => [e.reason, e.source])).toEqual([
      ['cold', 'network'],
      ['forced', 'network'],
    ])
  })

  test('events name the token endpoint host, never a credential', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent })
    await auth.getToken()
    expect(new Set(f.ev.events.map((e) => e.host))).toEqual(new Set([new URL(f.server.url).host]))
  })
})
