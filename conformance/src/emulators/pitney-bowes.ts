import type { CarrierDefinition } from './carrier.js'
import { jsonReply, type Reply } from './reply.js'
import { mintCredential } from './tokens.js'

/**
 * Pitney Bowes' Ecommerce API error object. Assumption (labelled in specs/pitney-bowes.yaml): the
 * token doc only points to its Error Codes page, so the shape is the other Ecommerce APIs' and the
 * errorCode values are OAuth's.
 */
function pbError(status: number, errorCode: string, message: string): Reply {
  return jsonReply(status, { errors: [{ errorCode, message }] })
}

/**
 * Pitney Bowes: Basic apiKey:apiSecret and a form body. The success body is Apigee's, not OAuth's:
 * camelCase names, `BearerToken`, and numbers as strings (`issuedAt` in ms, `expiresIn` in s).
 */
export const pitneyBowes: CarrierDefinition<'pitney-bowes'> = {
  carrier: 'pitney-bowes',
  accessTokenField: 'access_token',
  lifetimeField: 'expiresIn',
  // 32 letters and digits, like the credentials in the docs' samples.
  createCredentials: () => ({ apiKey: mintCredential(), apiSecret: mintCredential() }),
  create(env) {
    return {
      operations: {
        requestAccessToken(req) {
          const valid = req.basicMatches(env.credentials.apiKey, env.credentials.apiSecret)
          if (!valid) {
            req.failedLogin()
            return pbError(401, 'invalid_client', 'Invalid API key or secret.')
          }
          const form = req.form()
          if (!form) return pbError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.')
          if (!form.grant_type) return pbError(400, 'invalid_request', 'Missing parameter: grant_type.')
          if (form.grant_type !== 'client_credentials') return pbError(400, 'unsupported_grant_type', 'grant_type must be client_credentials.')
          const token = env.issue()
          return jsonReply(200, {
            access_token: token.accessToken,
            tokenType: 'BearerToken',
            issuedAt: String(Math.floor(token.issuedAtMs)),
            expiresIn: String(token.expiresInSeconds),
            clientID: env.credentials.apiKey,
            org: 'pitneybowes',
          })
        },
      },
    }
  },
}
