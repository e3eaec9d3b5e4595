import { describe, expect, test } from 'vitest'
import { type CarrierAuthError, REDACTED } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

describe('the carrier body an error keeps', () => {
  const f = useFixture()
  const failure = async () =>
    (await createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { maxAttempts: 1 } })
      .getToken()
      .catch((e: unknown) => e)) as CarrierAuthError

  test('error.body is the carrier body with secret fields and echoed secrets redacted, the rest kept', async () => {
    f.server.queue({ status: 400, body: { error: 'invalid_request', error_description: `got ${SECRET}`, access_token: 'leaked-token', hint: 'see docs' } })
    const error = await failure()
    expect(error.body).toEqual({ error: 'invalid_request', error_description: `got ${REDACTED}`, access_token: REDACTED, hint: 'see docs' })
  })

  test('a text body that echoes the secret is kept with the secret redacted', async () => {
    f.server.queue({ status: 400, raw: `bad client secret ${SECRET}`, headers: { 'content-type': 'text/plain' } })
    const error = await failure()
    expect(error.body).toBe(`bad client secret ${REDACTED}`)
  })
})
