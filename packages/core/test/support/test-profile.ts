import { basicAuthorization, createCarrierAuth, defineProfile, formUrlEncoded, readOAuthToken } from '../../src/index.js'
import type { CarrierAuthOptions, CommonOptions } from '../../src/index.js'

/** A minimal generated-style `paths` type for a generic client-credentials endpoint. */
interface paths {
  '/token': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    get?: never
    put?: never
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never }
      requestBody: { content: { 'application/x-www-form-urlencoded': { grant_type: 'client_credentials' } } }
      responses: {
        200: { headers: Record<string, unknown>; content: { 'application/json': { access_token: string; expires_in?: number } } }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}

export interface TestCredentials {
  clientId: string
  clientSecret: string
}

/** The profile shape every carrier package writes, for a carrier that does not exist. */
export const testProfile = defineProfile<paths, TestCredentials, 'test'>({
  carrier: 'testcarrier',
  displayName: 'TestCarrier',
  environments: { test: null },
  requiredCredentials: ['clientId', 'clientSecret'],
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret }),
  grants: ['client_credentials'],
  requestToken: (client, c, _grant, signal) =>
    client.POST('/token', {
      headers: { Authorization: basicAuthorization(c.clientId, c.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: { grant_type: 'client_credentials' },
      bodySerializer: formUrlEncoded,
      signal,
    }),
  readToken: readOAuthToken,
  policy: { defaultLifetimeMs: 3_600_000, refreshAheadMs: 5 * 60_000, credentialsCooldownMs: 10 * 60_000 },
})

export const SECRET = 'correct-horse-battery-staple'

/** Options as a test writes them: the endpoint may be left out (the factory must then refuse it). */
export type TestAuthOptions = Partial<TestCredentials> & CommonOptions & { baseUrl?: string | undefined; environment?: 'test' | undefined }

export function createTestAuth(options: TestAuthOptions) {
  return createCarrierAuth(testProfile, { clientId: 'client-1', clientSecret: SECRET, ...options } as TestCredentials &
    CarrierAuthOptions<'test'>)
}

const HOUR = 3_600_000

/** The test carrier, locking accounts the way Posti does: 5 failed logins, locked for an hour. */
export const lockingProfile = defineProfile<paths, TestCredentials, 'test'>({
  ...testProfile,
  carrier: 'lockingcarrier',
  displayName: 'LockingCarrier',
  policy: { ...testProfile.policy, credentialsCooldownMs: HOUR / 3, lockout: { failures: 5, windowMs: HOUR } },
})

export function createLockingAuth(options: TestAuthOptions) {
  return createCarrierAuth(lockingProfile, { clientId: 'account-1', clientSecret: SECRET, ...options } as TestCredentials &
    CarrierAuthOptions<'test'>)
}
