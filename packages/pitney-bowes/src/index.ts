import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type PitneyBowesCredentials, type PitneyBowesEnvironment, pitneyBowesProfile } from './pitney-bowes-profile.js'

/** Tokens for Pitney Bowes' Shipping APIs: `createPitneyBowesAuth({ apiKey, apiSecret, environment: 'sandbox' })`. */
export const createPitneyBowesAuth = carrierFactory(pitneyBowesProfile)
export type PitneyBowesAuthOptions = PitneyBowesCredentials & CarrierAuthOptions<PitneyBowesEnvironment>
export { pitneyBowesProfile, type PitneyBowesCredentials, type PitneyBowesEnvironment }
export type { paths as PitneyBowesPaths } from './generated/pitney-bowes.js'
// What a user of this carrier needs from core; the rest (profiles, stores, clocks) is core's own API.
export { AccessToken, CarrierAuthError, MemoryStore } from '@carrier-auth/core'
export type { CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions, Clock, EventListener, GetTokenOptions, TokenStore } from '@carrier-auth/core'
