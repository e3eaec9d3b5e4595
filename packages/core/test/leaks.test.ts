import { describe, expect, test } from 'vitest'
import { basicAuthorization, CarrierAuthError } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

describe('what a carrier writes never leaks through an error', () => {
  const f = useFixture()
  const auth = () => createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { maxAttempts: 1 } })
  const failure = async () => (await auth().getToken().catch((e: unknown) => e)) as CarrierAuthError

  test('an error field that is no OAuth or documented code stays out of the message', async () => {
    f.server.queue({ status: 400, body: { error: 'password_is_correct_horse_battery_staple' } })
    const error = await failure()
    expect(error.message).not.toContain('password_is')
    expect(error.oauthError).toBeUndefined()
  })

  test('an RFC 6749 error code is named in the message', async () => {
    f.server.queue({ status: 400, body: { error: 'invalid_scope' } })
    const error = await failure()
    expect(error).toMatchObject({ oauthError: 'invalid_scope', message: expect.stringContaining('invalid_scope') })
  })

  test('a server echoing the secret, the Basic value and the form body keeps none of them in error.body', async () => {
    const basic = basicAuthorization('client-1', SECRET).slice('Basic '.length)
    f.server.queue({
      status: 400,
      body: { error: 'invalid_request', error_description: `got ${SECRET} and ${basic}`, echo: { received: `grant_type=client_credentials&client_secret=${encodeURIComponent(SECRET)}` } },
    })
    const error = await failure()
    const kept = JSON.stringify(error.body)
    expect(kept).not.toContain(SECRET)
    expect(kept).not.toContain(encodeURIComponent(SECRET))
    expect(kept).not.toContain(basic)
  })

  test('a server echoing the secret in a header keeps none of it in error.response', async () => {
    f.server.queue({ status: 400, body: { error: 'invalid_request' }, headers: { 'x-debug': `secret=${SECRET}` } })
    const error = await failure()
    expect(error.response?.headers.get('x-debug')).not.toContain(SECRET)
  })

  test('the final error says how many attempts it took', async () => {
    f.server.queue({ status: 503 }, { status: 503 })
    const error = (await createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { maxAttempts: 2 } })
      .getToken()
      .catch((e: unknown) => e)) as CarrierAuthError
    expect(error).toMatchObject({ code: 'server_error', attempts: 2, message: expect.stringContaining('after 2 attempts') })
  })
})
