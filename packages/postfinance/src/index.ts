import { type CarrierAuth, type CarrierAuthOptions, createCarrierAuth } from '@carrier-auth/core'
import { type PostFinanceCredentials, type PostFinanceEnvironment, postFinanceProfile } from './postfinance-profile.js'

export type PostFinanceAuthOptions = PostFinanceCredentials & CarrierAuthOptions<PostFinanceEnvironment>

/**
 * Tokens for PostFinance SmartBusiness with the client-credentials grant (your own account):
 * `createPostFinanceAuth({ clientId, clientSecret, scope: 'contacts invoices', environment: 'production' })`.
 */
export function createPostFinanceAuth(options: PostFinanceAuthOptions): CarrierAuth {
  return createCarrierAuth(postFinanceProfile, options)
}

export { postFinanceProfile }
export type { PostFinanceCredentials, PostFinanceEnvironment }
export type { paths as PostFinancePaths } from './generated/postfinance.js'
export { CarrierAuthError } from '@carrier-auth/core'
export type { AccessToken, CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions } from '@carrier-auth/core'
