import type { CarrierModule } from '@carrier-auth/core'
import type { PacklyCredentials } from './packly-profile.js'

// The credentials the module is typed by, under one name for the generated registry.
export type { PacklyCredentials as Credentials }

// The doc's response says `application/json; charset=utf-8`, so every Packly answer carries it.
const JSON_UTF8 = 'application/json; charset=utf-8'

/**
 * Packly for the conformance engine. Its emulator: Basic
 * clientId:clientSecret, a form body with exactly grant_type=client_credentials and scope=external,
 * gzip as the doc shows. One emulator is one environment (sandbox and live credentials differ).
 */
export const carrier = {
  name: 'packly',
  emulator: {
    gzip: true,
    createCredentials: (mint) => ({ clientId: mint(), clientSecret: mint(), scope: 'external' }),
    create: (env) => {
      const error = (status: number, code: string, description: string) => env.oauthError(status, code, description, JSON_UTF8)
      return env.tokenEndpoint({
        client: { basic: ['clientId', 'clientSecret'] },
        // The doc words no errors: RFC 6749's answers, in its JSON body (an assumption, in the spec).
        errorBody: error,
        // Assumption (labelled in specs/packly.yaml): scope is required, though the doc's example
        // says Content-Length: 29, the length of the body without it.
        requiredFields: {
          scope: { value: 'external', missing: error(400, 'invalid_request', 'Missing scope.'), wrong: error(400, 'invalid_scope', 'Only the scope external is allowed.') },
        },
        success: (token) => env.json(200, { token_type: 'bearer', access_token: token.accessToken, expires_in: token.expiresInSeconds }, JSON_UTF8),
      })
    },
  },
  matrix: {
    secretField: 'clientSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { clientId: 'PACKLY_CLIENT_ID', clientSecret: 'PACKLY_CLIENT_SECRET', baseUrl: 'PACKLY_SANDBOX_BASE_URL' } },
  },
} as const satisfies CarrierModule<PacklyCredentials>
