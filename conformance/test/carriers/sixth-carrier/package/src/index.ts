import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type ParceloCredentials, type ParceloEnvironment, parceloProfile } from './parcelo-profile.js'

export const createParceloAuth = carrierFactory(parceloProfile)
export type ParceloAuthOptions = ParceloCredentials & CarrierAuthOptions<ParceloEnvironment>
export { parceloProfile, type ParceloCredentials, type ParceloEnvironment }
