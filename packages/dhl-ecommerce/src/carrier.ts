import type { CarrierModule } from '@carrier-auth/core'
import type { DhlEcommerceCredentials } from './dhl-ecommerce-profile.js'

// The credentials the module is typed by, under one name for the generated registry.
export type { DhlEcommerceCredentials as Credentials }

// The doc's sample bad response names its error types under the sandbox host, whatever the server.
const ERRORS = 'https://api-sandbox.dhlecs.com/docs/errors'

/**
 * DHL eCommerce for the conformance engine. Its emulator:
 * client_id, client_secret and grant_type as form fields (no Basic header), errors as RFC 7807
 * problem details, wrong credentials answered with 400, as the doc's sample shows. Assumptions
 * (labelled in specs/dhl-ecommerce.yaml): the media type is application/problem+json, and a
 * malformed request gets 400.0000001 (the doc shows only 400.0000005).
 */
export const carrier = {
  name: 'dhl-ecommerce',
  emulator: {
    createCredentials: (mint) => ({ clientId: mint(), clientSecret: mint() }),
    create: (env) => {
      const problem = (code: string, title: string) => env.json(400, { type: `${ERRORS}/${code}`, title }, 'application/problem+json')
      const invalidRequest = problem('400.0000001', 'Invalid request')
      return env.tokenEndpoint({
        client: { form: { client_id: 'clientId', client_secret: 'clientSecret' } },
        requestFirst: true,
        answers: {
          badCredentials: problem('400.0000005', 'Invalid credentials'),
          malformed: invalidRequest,
          missingGrantType: invalidRequest,
          unsupportedGrantType: () => invalidRequest,
        },
        success: (token, credentials) =>
          env.json(200, { access_token: token.accessToken, client_id: credentials.clientId, token_type: 'Bearer', expires_in: token.expiresInSeconds }),
      })
    },
  },
  matrix: {
    secretField: 'clientSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { clientId: 'DHL_ECOMMERCE_CLIENT_ID', clientSecret: 'DHL_ECOMMERCE_CLIENT_SECRET' } },
  },
} as const satisfies CarrierModule<DhlEcommerceCredentials>
