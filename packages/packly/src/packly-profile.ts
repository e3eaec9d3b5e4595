import { clientCredentials } from '@carrier-auth/core'
import type { paths } from './generated/packly.js'

/** Packly client credentials. Sandbox and live credentials differ. */
export interface PacklyCredentials {
  clientId: string
  clientSecret: string
  /** "At this time, only external is allowed." Default `external`. */
  scope?: 'external'
}

export type PacklyEnvironment = 'sandbox' | 'live'

export const packlyProfile = clientCredentials<paths, PacklyCredentials, PacklyEnvironment>({
  carrier: 'packly',
  displayName: 'Packly',
  // Packly publishes no sandbox host: the sandbox needs the baseUrl Packly gives you.
  environments: { sandbox: null, live: 'https://api.packly.io' },
  path: '/v1/oauth2/token',
  id: 'clientId',
  secret: 'clientSecret',
  scope: 'scope',
  send: 'basic',
  optionalCredentials: ['scope'],
  withDefaults: (c) => ({ ...c, scope: c.scope ?? 'external' }),
  // As in the doc's example request.
  contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
  body: (c) => ({ scope: c.scope ?? 'external' }),
  policy: {
    // The doc states the lifetime only by example (3600 s); expires_in is always sent.
    defaultLifetimeMs: 3_600_000,
    refreshAheadMs: 5 * 60_000,
    credentialsCooldownMs: 60_000,
  },
})
