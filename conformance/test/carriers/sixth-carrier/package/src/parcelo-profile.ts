import { clientCredentials, readNumber, readOAuthToken, type TokenFields } from '@carrier-auth/core'
import type { paths } from './generated/parcelo.js'

/** A Parcelo client; `merchantId` is optional, for a platform acting for one of its merchants. */
export interface ParceloCredentials {
  clientId: string
  clientSecret: string
  merchantId?: string
}

export type ParceloEnvironment = 'sandbox' | 'production'

/** The usual OAuth body, with `expires_in` as a string (readNumber takes it) and `issued_at` in ms. */
function readParceloToken(body: unknown): TokenFields | undefined {
  const fields = readOAuthToken(body)
  return fields && { ...fields, serverIssuedAt: readNumber((body as { issued_at?: unknown }).issued_at) }
}

export const parceloProfile = clientCredentials<paths, ParceloCredentials, ParceloEnvironment>({
  carrier: 'parcelo',
  displayName: 'Parcelo',
  environments: { sandbox: 'https://sandbox.parcelo.example', production: 'https://api.parcelo.example' },
  path: '/oauth2/token',
  id: 'clientId',
  secret: 'clientSecret',
  send: 'basic',
  optionalCredentials: ['merchantId'],
  headers: (c) => ({ 'x-merchant-id': c.merchantId }),
  readToken: readParceloToken,
  policy: { defaultLifetimeMs: 3_600_000, refreshAheadMs: 5 * 60_000, credentialsCooldownMs: 60_000 },
})
