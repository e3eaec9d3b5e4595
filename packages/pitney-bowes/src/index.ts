import { type CarrierAuth, type CarrierAuthOptions, createCarrierAuth } from '@carrier-auth/core'
import { type PitneyBowesCredentials, type PitneyBowesEnvironment, pitneyBowesProfile } from './pitney-bowes-profile.js'

export type PitneyBowesAuthOptions = PitneyBowesCredentials & CarrierAuthOptions<PitneyBowesEnvironment>

/** Tokens for Pitney Bowes' Shipping APIs: `createPitneyBowesAuth({ apiKey, apiSecret, environment: 'sandbox' })`. */
export function createPitneyBowesAuth(options: PitneyBowesAuthOptions): CarrierAuth {
  return createCarrierAuth(pitneyBowesProfile, options)
}

export { pitneyBowesProfile }
export type { PitneyBowesCredentials, PitneyBowesEnvironment }
export type { paths as PitneyBowesPaths } from './generated/pitney-bowes.js'
export { CarrierAuthError } from '@carrier-auth/core'
export type { AccessToken, CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions } from '@carrier-auth/core'
