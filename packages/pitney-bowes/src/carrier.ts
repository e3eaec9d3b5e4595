import type { CarrierModule } from '@carrier-auth/core'
import type { PitneyBowesCredentials } from './pitney-bowes-profile.js'

// The credentials the module is typed by, under one name for the generated registry.
export type { PitneyBowesCredentials as Credentials }

/**
 * Pitney Bowes for the conformance engine. Its emulator:
 * Basic apiKey:apiSecret and a form body; the success body is Apigee's, not OAuth's (camelCase,
 * `BearerToken`, numbers as strings: `issuedAt` in ms, `expiresIn` in s). Errors use the Ecommerce
 * APIs' error object, an assumption labelled in specs/pitney-bowes.yaml.
 */
export const carrier = {
  name: 'pitney-bowes',
  emulator: {
    lifetimeField: 'expiresIn',
    createCredentials: (mint) => ({ apiKey: mint(), apiSecret: mint() }),
    create: (env) =>
      env.tokenEndpoint({
        client: { basic: ['apiKey', 'apiSecret'] },
        // RFC 6749's answers, in the Ecommerce APIs' error object (an assumption, in the spec).
        errorBody: (status, errorCode, message) => env.json(status, { errors: [{ errorCode, message }] }),
        success: (token, credentials) =>
          env.json(200, {
            access_token: token.accessToken,
            tokenType: 'BearerToken',
            issuedAt: String(Math.floor(token.issuedAtMs)),
            expiresIn: String(token.expiresInSeconds),
            clientID: credentials.apiKey,
            org: 'pitneybowes',
          }),
      }),
  },
  matrix: {
    secretField: 'apiSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { apiKey: 'PITNEY_BOWES_API_KEY', apiSecret: 'PITNEY_BOWES_API_SECRET' } },
  },
} as const satisfies CarrierModule<PitneyBowesCredentials>
