import type { CarrierDefinition } from './carrier.js'
import { jsonReply, type Reply } from './reply.js'
import { mintCredential } from './tokens.js'

// The doc's sample bad response names its error types under the sandbox host, whatever the server.
const ERRORS = 'https://api-sandbox.dhlecs.com/docs/errors'

// Assumptions (labelled in specs/dhl-ecommerce.yaml): the doc shows the problem body but not its
// media type, so RFC 7807's application/problem+json; and it shows only 400.0000005, so a malformed
// request gets 400.0000001.
function problem(code: string, title: string): Reply {
  return jsonReply(400, { type: `${ERRORS}/${code}`, title }, 'application/problem+json')
}

/**
 * DHL eCommerce: client_id, client_secret and grant_type as form fields (no Basic header), errors as
 * RFC 7807 problem details, and wrong credentials answered with 400, as the doc's sample shows.
 */
export const dhlEcommerce: CarrierDefinition<'dhl-ecommerce'> = {
  carrier: 'dhl-ecommerce',
  accessTokenField: 'access_token',
  lifetimeField: 'expires_in',
  // 32 letters and digits, like the credentials in the docs' samples.
  createCredentials: () => ({ clientId: mintCredential(), clientSecret: mintCredential() }),
  create(env) {
    return {
      operations: {
        requestAccessToken(req) {
          const form = req.form()
          if (!form?.grant_type || !form.client_id || !form.client_secret || form.grant_type !== 'client_credentials') {
            return problem('400.0000001', 'Invalid request')
          }
          const valid = req.credentialsMatch([
            [env.credentials.clientId, form.client_id],
            [env.credentials.clientSecret, form.client_secret],
          ])
          if (!valid) {
            req.failedLogin()
            return problem('400.0000005', 'Invalid credentials')
          }
          const token = env.issue()
          return jsonReply(200, {
            access_token: token.accessToken,
            client_id: env.credentials.clientId,
            token_type: 'Bearer',
            expires_in: token.expiresInSeconds,
          })
        },
      },
    }
  },
}
