import { type CarrierAuthOptions, carrierFactory } from '@carrier-auth/core'
import { type PostiCredentials, type PostiEnvironment, postiProfile } from './posti-profile.js'

/** Tokens for Posti's APIs: `createPostiAuth({ username, password, environment: 'qa' })`. */
export const createPostiAuth = carrierFactory(postiProfile)
export type PostiAuthOptions = PostiCredentials & CarrierAuthOptions<PostiEnvironment>
export { postiProfile, type PostiCredentials, type PostiEnvironment }
export type { paths as PostiPaths } from './generated/posti.js'
export * from '@carrier-auth/core'
