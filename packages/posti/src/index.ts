import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type PostiCredentials, type PostiEnvironment, postiProfile } from './posti-profile.js'

/** Tokens for Posti's APIs: `createPostiAuth({ username, password, environment: 'qa' })`. */
export const createPostiAuth = carrierFactory(postiProfile)
export type PostiAuthOptions = PostiCredentials & CarrierAuthOptions<PostiEnvironment>
export { postiProfile, type PostiCredentials, type PostiEnvironment }
export type { paths as PostiPaths } from './generated/posti.js'
// What a user of this carrier needs from core; the rest (profiles, stores, clocks) is core's own API.
export { AccessToken, CarrierAuthError, MemoryStore } from '@carrier-auth/core'
export type { CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions, Clock, EventListener, GetTokenOptions, TokenStore } from '@carrier-auth/core'
