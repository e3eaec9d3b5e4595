import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type PitneyBowesCredentials, type PitneyBowesEnvironment, pitneyBowesProfile } from './pitney-bowes-profile.js'

/** Tokens for Pitney Bowes' Shipping APIs: `createPitneyBowesAuth({ apiKey, apiSecret, environment: 'sandbox' })`. */
export const createPitneyBowesAuth = carrierFactory(pitneyBowesProfile)
export type PitneyBowesAuthOptions = PitneyBowesCredentials & CarrierAuthOptions<PitneyBowesEnvironment>
export { pitneyBowesProfile, type PitneyBowesCredentials, type PitneyBowesEnvironment }
export type { paths as PitneyBowesPaths } from './generated/pitney-bowes.js'
export * from '@carrier-auth/core'
