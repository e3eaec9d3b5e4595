import type { CarrierDefinition } from './carrier.js'
import { jsonReply, oauthError } from './reply.js'
import { mintCredential } from './tokens.js'

// The doc's response says `application/json; charset=utf-8`, so every Packly answer carries it.
const JSON_UTF8 = 'application/json; charset=utf-8'

/**
 * Packly: Basic clientId:clientSecret, form body with exactly grant_type=client_credentials and
 * scope=external. One emulator is one environment (sandbox and live credentials differ).
 */
export const packly: CarrierDefinition<'packly'> = {
  carrier: 'packly',
  accessTokenField: 'access_token',
  lifetimeField: 'expires_in',
  gzip: true,
  // 32 letters and digits, like the credentials in the docs' samples.
  createCredentials: () => ({ clientId: mintCredential(), clientSecret: mintCredential(), scope: 'external' }),
  create(env) {
    return {
      operations: {
        requestAccessToken(req) {
          const valid = req.basicMatches(env.credentials.clientId, env.credentials.clientSecret)
          if (!valid) {
            req.failedLogin()
            return oauthError(401, 'invalid_client', 'Client authentication failed.', JSON_UTF8)
          }
          const form = req.form()
          if (!form) return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.', JSON_UTF8)
          if (!form.grant_type) return oauthError(400, 'invalid_request', 'Missing grant_type.', JSON_UTF8)
          if (form.grant_type !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is allowed.', JSON_UTF8)
          // Assumption (labelled in specs/packly.yaml): scope is required, though the doc's example
          // says Content-Length: 29, the length of the body without it.
          if (!form.scope) return oauthError(400, 'invalid_request', 'Missing scope.', JSON_UTF8)
          if (form.scope !== 'external') return oauthError(400, 'invalid_scope', 'Only the scope external is allowed.', JSON_UTF8)
          const token = env.issue()
          return jsonReply(200, { token_type: 'bearer', access_token: token.accessToken, expires_in: token.expiresInSeconds }, JSON_UTF8)
        },
      },
    }
  },
}
