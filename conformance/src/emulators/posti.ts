import { factsOf } from '../facts.js'
import type { CarrierDefinition } from './carrier.js'
import { Lockout } from './lockout.js'
import { jsonReply, oauthError } from './reply.js'
import { mintCredential } from './tokens.js'

/**
 * Posti: Basic username:password, grant_type in the query or the form body. Its answers are Spring
 * Security OAuth's ("Bad credentials", "Missing grant type"), and a locked account answers exactly
 * like a wrong password.
 */
export const posti: CarrierDefinition<'posti'> = {
  carrier: 'posti',
  accessTokenField: 'access_token',
  lifetimeField: 'expires_in',
  // 32 letters and digits, like the credentials in the docs' samples.
  createCredentials: () => ({ username: mintCredential(), password: mintCredential() }),
  create(env) {
    // The documented lockout (specs/posti.yaml, x-carrier-auth-facts.lockout).
    const { maxFailedLogins, durationSeconds } = factsOf('posti').lockout!
    const lockout = new Lockout(env.clock, maxFailedLogins, durationSeconds * 1000)
    return {
      isLocked: () => lockout.isLocked(env.credentials.username),
      operations: {
        requestAccessToken(req) {
          const basic = req.basic()
          if (!basic) {
            req.failedLogin()
            return oauthError(401, 'unauthorized', 'Full authentication is required to access this resource')
          }
          const valid = req.basicMatches(env.credentials.username, env.credentials.password)
          // Keyed on the account as decoded: `a-b` and its form-encoded `a%2Db` are one account.
          const account = req.basicAccount() ?? basic.user
          if (!valid || lockout.isLocked(account)) {
            req.failedLogin()
            lockout.recordFailure(account)
            return oauthError(401, 'unauthorized', 'Bad credentials')
          }
          const grantType = req.url.searchParams.get('grant_type') ?? req.form()?.grant_type
          if (!grantType) {
            req.violation('grant_type is in neither the query nor the form body')
            return oauthError(400, 'invalid_request', 'Missing grant type')
          }
          if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`)
          const token = env.issue()
          return jsonReply(200, { token_type: 'bearer', access_token: token.accessToken, expires_in: token.expiresInSeconds })
        },
      },
    }
  },
}
