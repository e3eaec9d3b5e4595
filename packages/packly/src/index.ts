import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type PacklyCredentials, type PacklyEnvironment, packlyProfile } from './packly-profile.js'

/** Tokens for Packly's REST API: `createPacklyAuth({ clientId, clientSecret, environment: 'live' })`. */
export const createPacklyAuth = carrierFactory(packlyProfile)
export type PacklyAuthOptions = PacklyCredentials & CarrierAuthOptions<PacklyEnvironment>
export { packlyProfile, type PacklyCredentials, type PacklyEnvironment }
export type { paths as PacklyPaths } from './generated/packly.js'
// What a user of this carrier needs from core; the rest (profiles, stores, clocks) is core's own API.
export { AccessToken, CarrierAuthError, MemoryStore } from '@carrier-auth/core'
export type { CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions, Clock, EventListener, GetTokenOptions, TokenStore } from '@carrier-auth/core'
