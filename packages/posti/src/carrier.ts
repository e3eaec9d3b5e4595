import type { CarrierModule } from '@carrier-auth/core'
import type { PostiCredentials } from './posti-profile.js'

// The credentials the module is typed by, under one name for the generated registry.
export type { PostiCredentials as Credentials }

/**
 * Posti for the conformance engine.
 * Its emulator: Basic username:password, grant_type in the query or the form body; Spring Security
 * OAuth's answers ("Bad credentials", "Missing grant type"), and a locked account answers exactly
 * like a wrong password (the lockout is the spec's x-carrier-auth-facts.lockout).
 */
export const carrier = {
  name: 'posti',
  emulator: {
    createCredentials: (mint) => ({ username: mint(), password: mint() }),
    create: (env) =>
      env.tokenEndpoint({
        client: { basic: ['username', 'password'] },
        grantTypeInQuery: true,
        lockout: true,
        answers: {
          noClient: env.oauthError(401, 'unauthorized', 'Full authentication is required to access this resource'),
          badCredentials: env.oauthError(401, 'unauthorized', 'Bad credentials'),
          malformed: env.oauthError(400, 'invalid_request', 'Missing grant type'),
          missingGrantType: env.oauthError(400, 'invalid_request', 'Missing grant type'),
          unsupportedGrantType: (grant) => env.oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`),
        },
        success: (token) => env.json(200, { token_type: 'bearer', access_token: token.accessToken, expires_in: token.expiresInSeconds }),
      }),
  },
  matrix: {
    secretField: 'password',
    rotatesRefreshTokens: false,
    live: { environment: 'qa', variables: { username: 'POSTI_USERNAME', password: 'POSTI_PASSWORD' } },
  },
} as const satisfies CarrierModule<PostiCredentials>
