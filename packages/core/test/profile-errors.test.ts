import { describe, expect, test } from 'vitest'
import { CarrierAuthError, createCarrierAuth, defineProfile } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { SECRET, testProfile } from './support/test-profile.js'

/** A carrier whose own readToken throws `errors` in turn, then reads tokens as usual. */
function profileThrowing(...errors: unknown[]) {
  return defineProfile({
    ...testProfile,
    readToken: (body) => {
      if (errors.length > 0) throw errors.shift()
      return testProfile.readToken(body)
    },
  })
}

describe("errors a carrier profile's own code throws", () => {
  const f = useFixture()
  const auth = (profile: ReturnType<typeof profileThrowing>) =>
    createCarrierAuth(profile, { clientId: 'client-1', clientSecret: SECRET, baseUrl: f.server.url, clock: f.clock, retry: { random: () => 0.5 } })

  test('a CarrierAuthError the profile made itself reaches the caller as it is', async () => {
    const own = new CarrierAuthError('The carrier said the account is suspended.', { code: 'invalid_response', carrier: 'testcarrier' })
    await expect(auth(profileThrowing(own)).getToken()).rejects.toBe(own)
    expect(f.server.tokenRequests).toBe(1)
  })

  test("a retryable one is retried with core's backoff, not with a wait it carries", async () => {
    const own = new CarrierAuthError('Try later.', { code: 'server_error', carrier: 'testcarrier', retryAfterMs: 7000 })
    expect((await auth(profileThrowing(own)).getToken()).accessToken).toBe('tok-2')
    expect(f.clock.sleeps).toEqual([125])
  })
})

describe('token fields at their limits', () => {
  const f = useFixture()
  const get = () => createCarrierAuth(testProfile, { clientId: 'client-1', clientSecret: SECRET, baseUrl: f.server.url, clock: f.clock }).getToken()
  const answer = (body: Record<string, unknown>) => f.server.queue({ status: 200, body: { token_type: 'bearer', expires_in: 3600, ...body } })

  test('an access token of 16 KB is taken; one byte more is refused', async () => {
    answer({ access_token: 'a'.repeat(16 * 1024) })
    expect((await get()).accessToken).toHaveLength(16 * 1024)
    answer({ access_token: 'a'.repeat(16 * 1024 + 1) })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('the access token is longer than 16 KB') })
  })

  test('a refresh token of 16 KB is taken; one byte more, or a control character, is refused', async () => {
    answer({ access_token: 'a-1', refresh_token: 'r'.repeat(16 * 1024) })
    expect((await get()).refreshToken).toHaveLength(16 * 1024)
    answer({ access_token: 'a-2', refresh_token: 'r'.repeat(16 * 1024 + 1) })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('the refresh token is not a usable string') })
    answer({ access_token: 'a-3', refresh_token: 'r\u0001r' })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('the refresh token is not a usable string') })
  })

  test('a lifetime of exactly 366 days is believed', async () => {
    answer({ access_token: 'a-year', expires_in: 366 * 24 * 3600 })
    const token = await get()
    expect(token.expiresAt - token.issuedAt).toBe(366 * 24 * 3_600_000)
  })

  test.each([
    ['zero', '0'],
    ['beyond what a number holds (Infinity)', '1e400'],
  ])('a lifetime of %s seconds is no positive number of seconds', async (_name, raw) => {
    f.server.queue({ status: 200, raw: `{"access_token":"a","token_type":"bearer","expires_in":${raw}}` })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('its lifetime is not a positive number of seconds') })
  })
})

describe('error answers with odd bodies', () => {
  const f = useFixture()
  const get = () => createCarrierAuth(testProfile, { clientId: 'client-1', clientSecret: SECRET, baseUrl: f.server.url, clock: f.clock }).getToken()

  test('a 400 whose JSON body is null is a refused configuration, not a crash', async () => {
    f.server.queue({ status: 400, raw: 'null' })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_config', status: 400 })
  })

  test('a 400 with an error code no one documented keeps it out of oauthError', async () => {
    f.server.queue({ status: 400, body: { error: 'Stryker was here' } })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_config', oauthError: undefined })
  })

  test('a 400 invalid_client is a refused login', async () => {
    f.server.queue({ status: 400, body: { error: 'invalid_client' } })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_credentials', status: 400, oauthError: 'invalid_client' })
  })
})
