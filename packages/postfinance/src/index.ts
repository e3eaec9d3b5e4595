import { type AuthorizationCodeAuth, type CarrierAuthOptions, createAuthorizationCodeAuth } from '@carrier-auth/core'
import { type PostFinanceCredentials, type PostFinanceEnvironment, postFinanceProfile } from './postfinance-profile.js'

export type PostFinanceAuthOptions = PostFinanceCredentials & CarrierAuthOptions<PostFinanceEnvironment>

/**
 * Tokens for PostFinance SmartBusiness.
 *
 * - Your own account (client credentials): `auth.getToken()`.
 * - Customers' accounts (authorization code): `auth.authorizeUrl(...)`, then
 *   `auth.exchangeCode(...)` stores the pair under an account key, and
 *   `auth.forAccount(key).getToken()` refreshes it with its single-use refresh token, persisting
 *   the new pair before handing out the token.
 */
export function createPostFinanceAuth(options: PostFinanceAuthOptions): AuthorizationCodeAuth {
  return createAuthorizationCodeAuth(postFinanceProfile, options)
}

export { postFinanceProfile }
export type { PostFinanceCredentials, PostFinanceEnvironment }
export type { paths as PostFinancePaths } from './generated/postfinance.js'
// What a user of this carrier needs from core; the rest (profiles, stores, clocks) is core's own API.
export { AccessToken, CarrierAuthError, MemoryStore } from '@carrier-auth/core'
export type { AuthorizationCodeAuth, CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions, Clock, EventListener, GetTokenOptions, TokenStore } from '@carrier-auth/core'
