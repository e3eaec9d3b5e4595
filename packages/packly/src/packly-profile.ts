import { defineProfile, formRequest, readOAuthToken } from '@carrier-auth/core'
import type { paths } from './generated/packly.js'

/** Packly client credentials. Sandbox and live credentials differ. */
export interface PacklyCredentials {
  clientId: string
  clientSecret: string
  /** "At this time, only external is allowed." Default `external`. */
  scope?: 'external'
}

export type PacklyEnvironment = 'sandbox' | 'live'

export const packlyProfile = defineProfile<paths, PacklyCredentials, PacklyEnvironment>({
  carrier: 'packly',
  displayName: 'Packly',
  // Packly publishes no sandbox host: the sandbox needs the baseUrl Packly gives you.
  environments: { sandbox: null, live: 'https://api.packly.io' },
  requiredCredentials: ['clientId', 'clientSecret'],
  optionalCredentials: ['scope'],
  withDefaults: (c) => ({ ...c, scope: c.scope ?? 'external' }),
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret, scope: c.scope }),
  grants: ['client_credentials'],
  requestToken: (client, c, _grant, signal) =>
    client.POST(
      '/v1/oauth2/token',
      formRequest({
        basic: [c.clientId, c.clientSecret],
        // As in the doc's example request.
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
        body: { grant_type: 'client_credentials', scope: c.scope ?? 'external' },
        signal,
      }),
    ),
  readToken: readOAuthToken,
  policy: {
    // The doc states the lifetime only by example (3600 s); expires_in is always sent.
    defaultLifetimeMs: 3_600_000,
    refreshAheadMs: 5 * 60_000,
    credentialsCooldownMs: 60_000,
  },
})
