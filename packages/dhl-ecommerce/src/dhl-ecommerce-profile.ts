import { clientCredentials } from '@carrier-auth/core'
import type { paths } from './generated/dhl-ecommerce.js'

/** DHL eCommerce Solutions client id and secret. */
export interface DhlEcommerceCredentials {
  clientId: string
  clientSecret: string
}

export type DhlEcommerceEnvironment = 'sandbox' | 'production'

/** DHL answers errors as problem+json `{ type, title }`; bad credentials come as a 400. */
function classifyDhlError(status: number, body: unknown) {
  const title = (body as { title?: unknown } | undefined)?.title
  if ((status === 400 || status === 401) && typeof title === 'string' && /invalid credentials/i.test(title)) {
    return 'invalid_credentials' as const
  }
  return undefined
}

export const dhlEcommerceProfile = clientCredentials<paths, DhlEcommerceCredentials, DhlEcommerceEnvironment>({
  carrier: 'dhl-ecommerce',
  displayName: 'DHL eCommerce',
  environments: {
    sandbox: 'https://api-sandbox.dhlecs.com',
    production: 'https://api.dhlecs.com',
  },
  path: '/auth/v4/accesstoken',
  id: 'clientId',
  secret: 'clientSecret',
  // Credentials travel as form fields, as the doc says (no Basic header).
  send: 'form',
  classifyError: classifyDhlError,
  policy: {
    // "This limit is currently set to 60 minutes."
    defaultLifetimeMs: 3_600_000,
    // "We recommend that you refresh the access token periodically (~15 mins to 30 mins)":
    // refreshing 30 minutes ahead of a 60-minute lifetime replaces each token at 30 minutes.
    refreshAheadMs: 30 * 60_000,
    credentialsCooldownMs: 60_000,
  },
})
