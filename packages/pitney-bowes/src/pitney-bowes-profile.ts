import { clientCredentials, readNumber, type TokenFields } from '@carrier-auth/core'
import type { components, paths } from './generated/pitney-bowes.js'

/** Developer Hub API key and secret, as Pitney Bowes names them. */
export interface PitneyBowesCredentials {
  apiKey: string
  apiSecret: string
}

export type PitneyBowesEnvironment = 'sandbox' | 'production'

type TokenResponse = components['schemas']['TokenResponse']

/**
 * Pitney Bowes answers `expiresIn` in seconds and `issuedAt` in ms since the epoch, both as
 * strings. `issuedAt` is by the server's clock: core uses it to age a reissued token, and
 * ignores it when the server's clock is skewed.
 */
function readPitneyBowesToken(body: unknown): TokenFields | undefined {
  const b = (body ?? {}) as Partial<TokenResponse>
  if (typeof b.access_token !== 'string' || b.access_token === '') return undefined
  const expiresIn = readNumber(b.expiresIn)
  return {
    accessToken: b.access_token,
    expiresInMs: expiresIn === undefined ? undefined : expiresIn * 1000,
    serverIssuedAt: readNumber(b.issuedAt),
  }
}

export const pitneyBowesProfile = clientCredentials<paths, PitneyBowesCredentials, PitneyBowesEnvironment>({
  carrier: 'pitney-bowes',
  displayName: 'Pitney Bowes',
  // The token host differs from the other Shipping API operations' base URL.
  environments: {
    sandbox: 'https://shipping-api-sandbox.pitneybowes.com',
    production: 'https://shipping-api.pitneybowes.com',
  },
  path: '/oauth/token',
  id: 'apiKey',
  secret: 'apiSecret',
  send: 'basic',
  readToken: readPitneyBowesToken,
  policy: {
    // "The token expires after 10 hours"; 35999 s is the value the doc shows.
    defaultLifetimeMs: 35_999_000,
    refreshAheadMs: 15 * 60_000,
    credentialsCooldownMs: 60_000,
  },
})
