import { type CarrierAuth, type CarrierAuthOptions, createCarrierAuth } from '@carrier-auth/core'
import { type DhlEcommerceCredentials, type DhlEcommerceEnvironment, dhlEcommerceProfile } from './dhl-ecommerce-profile.js'

export type DhlEcommerceAuthOptions = DhlEcommerceCredentials & CarrierAuthOptions<DhlEcommerceEnvironment>

/** Tokens for DHL eCommerce Solutions' APIs: `createDhlEcommerceAuth({ clientId, clientSecret, environment: 'sandbox' })`. */
export function createDhlEcommerceAuth(options: DhlEcommerceAuthOptions): CarrierAuth {
  return createCarrierAuth(dhlEcommerceProfile, options)
}

export { dhlEcommerceProfile }
export type { DhlEcommerceCredentials, DhlEcommerceEnvironment }
export type { paths as DhlEcommercePaths } from './generated/dhl-ecommerce.js'
export { CarrierAuthError } from '@carrier-auth/core'
export type { AccessToken, CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions } from '@carrier-auth/core'
