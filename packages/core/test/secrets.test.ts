import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { AccessToken, CarrierAuthError } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

const renderings = (value: unknown) => [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: false }), `${value}`]

describe('secrets', () => {
  const f = useFixture()

  test('an AccessToken redacts itself in toString, toJSON and inspect', () => {
    const token = new AccessToken({ accessToken: 'live-token-123', refreshToken: 'refresh-456', expiresAt: 2, issuedAt: 1 })
    for (const text of renderings(token)) {
      expect(text).not.toContain('live-token-123')
      expect(text).not.toContain('refresh-456')
    }
    expect(Object.keys(token)).not.toContain('accessToken')
    expect(token.accessToken).toBe('live-token-123')
  })

  test('errors hold no secret, token or Authorization header in any rendering', async () => {
    f.server.queue({ status: 401, body: { error: 'invalid_client', error_description: `bad secret ${SECRET}`, access_token: 'leaky' } })
    const error = await createTestAuth({ baseUrl: f.server.url, clock: f.clock }).getToken().catch((e: unknown) => e)
    expect(CarrierAuthError.isInstance(error)).toBe(true)
    for (const text of [...renderings(error), (error as Error).message, (error as Error).stack ?? '']) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain('leaky')
      expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/)
    }
  })

  test('the raw response is kept, but not enumerable', async () => {
    f.server.queue({ status: 401 })
    const error = (await createTestAuth({ baseUrl: f.server.url, clock: f.clock }).getToken().catch((e: unknown) => e)) as CarrierAuthError
    expect(error.response?.status).toBe(401)
    expect(Object.keys(error)).not.toContain('response')
    expect(Object.keys(error)).not.toContain('body')
  })

  test('events carry no secret or token', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent })
    await auth.getToken()
    f.server.queue({ status: 401 })
    await auth.getToken({ forceRefresh: true }).catch(() => {})
    const text = f.ev.events.map((e) => `${JSON.stringify(e)} ${inspect(e, { depth: 10 })}`).join('\n')
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain('tok-1')
  })

  test('the auth object shows no credentials when logged', () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    for (const text of renderings(auth)) expect(text).not.toContain(SECRET)
  })
})
