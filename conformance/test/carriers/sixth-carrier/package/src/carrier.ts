import type { CarrierModule } from '@carrier-auth/core'
import type { ParceloCredentials } from './parcelo-profile.js'

export type { ParceloCredentials as Credentials }

/** Parcelo for the conformance engine: Basic client, a form body, and a checked optional merchant header. */
export const carrier = {
  name: 'parcelo',
  emulator: {
    createCredentials: (mint) => ({ clientId: mint(), clientSecret: mint(), merchantId: mint() }),
    create: (env) =>
      env.tokenEndpoint({
        client: { basic: ['clientId', 'clientSecret'] },
        answers: {
          badCredentials: env.oauthError(401, 'invalid_client', 'Client authentication failed.'),
          malformed: env.oauthError(400, 'invalid_request', 'The body must be a form.'),
          missingGrantType: env.oauthError(400, 'invalid_request', 'Missing grant_type.'),
          unsupportedGrantType: () => env.oauthError(400, 'unsupported_grant_type', 'Only client_credentials.'),
        },
        checkedHeaders: { 'x-merchant-id': { credential: 'merchantId', wrong: env.oauthError(403, 'invalid_merchant', 'Not one of this client\'s merchants.') } },
        success: (token) => env.json(200, { access_token: token.accessToken, token_type: 'Bearer', expires_in: String(token.expiresInSeconds), issued_at: token.issuedAtMs }),
      }),
  },
  matrix: {
    secretField: 'clientSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { clientId: 'PARCELO_CLIENT_ID', clientSecret: 'PARCELO_CLIENT_SECRET', merchantId: 'PARCELO_MERCHANT_ID' } },
  },
} as const satisfies CarrierModule<ParceloCredentials>
