import { defineProfile, type Grant, readOAuthToken } from '@carrier-auth/core'
import type { components, paths } from './generated/postfinance.js'

/** A SmartBusiness API v2 client, as PostFinance names it. */
export interface PostFinanceCredentials {
  clientId: string
  clientSecret: string
  /** The client's scopes, separated by spaces (`contacts invoices`). */
  scope: string
}

export type PostFinanceEnvironment = 'production'

type TokenRequest = components['schemas']['TokenRequest']

/** PostFinance takes every grant as one JSON body, with the client credentials inside it. */
function tokenRequestBody(c: PostFinanceCredentials, grant: Grant): TokenRequest {
  const client = { client_id: c.clientId, client_secret: c.clientSecret, scope: c.scope }
  switch (grant.type) {
    case 'client_credentials':
      return { grant_type: 'client_credentials', ...client }
    case 'refresh_token':
      // The scope the customer authorized travels with the pair; a wider configured one is refused.
      return { grant_type: 'refresh_token', ...client, scope: grant.scope ?? c.scope, refresh_token: grant.refreshToken }
    case 'authorization_code':
      return { grant_type: 'authorization_code', ...client, scope: grant.scope ?? c.scope, code: grant.code, redirect_uri: grant.redirectUri }
  }
}

export const postFinanceProfile = defineProfile<paths, PostFinanceCredentials, PostFinanceEnvironment>({
  carrier: 'postfinance',
  displayName: 'PostFinance SmartBusiness',
  // No public staging host exists; tests and emulators pass baseUrl.
  environments: { production: 'https://api-smartbusiness.postfinance.ch/v2' },
  requiredCredentials: ['clientId', 'clientSecret', 'scope'],
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret, scope: c.scope }),
  grants: ['client_credentials', 'authorization_code', 'refresh_token'],
  authorizePath: '/auth/authorize',
  requestToken: (client, c, grant, signal) =>
    client.POST('/auth/access-tokens', { body: tokenRequestBody(c, grant), signal }),
  readToken: readOAuthToken,
  policy: {
    // "valid for 12 hours" (expires_in 43200).
    defaultLifetimeMs: 43_200_000,
    refreshAheadMs: 15 * 60_000,
    credentialsCooldownMs: 60_000,
  },
})
