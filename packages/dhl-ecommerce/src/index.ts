import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type DhlEcommerceCredentials, type DhlEcommerceEnvironment, dhlEcommerceProfile } from './dhl-ecommerce-profile.js'

/** Tokens for DHL eCommerce Solutions' APIs: `createDhlEcommerceAuth({ clientId, clientSecret, environment: 'sandbox' })`. */
export const createDhlEcommerceAuth = carrierFactory(dhlEcommerceProfile)
export type DhlEcommerceAuthOptions = DhlEcommerceCredentials & CarrierAuthOptions<DhlEcommerceEnvironment>
export { dhlEcommerceProfile, type DhlEcommerceCredentials, type DhlEcommerceEnvironment }
export type { paths as DhlEcommercePaths } from './generated/dhl-ecommerce.js'
// What a user of this carrier needs from core; the rest (profiles, stores, clocks) is core's own API.
export { AccessToken, CarrierAuthError, MemoryStore } from '@carrier-auth/core'
export type { CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions, Clock, EventListener, GetTokenOptions, TokenStore } from '@carrier-auth/core'
