import { type CarrierAuth, type CarrierAuthOptions, createCarrierAuth } from '@carrier-auth/core'
import { type PostiCredentials, type PostiEnvironment, postiProfile } from './posti-profile.js'

export type PostiAuthOptions = PostiCredentials & CarrierAuthOptions<PostiEnvironment>

/** Tokens for Posti's APIs: `createPostiAuth({ username, password, environment: 'qa' })`. */
export function createPostiAuth(options: PostiAuthOptions): CarrierAuth {
  return createCarrierAuth(postiProfile, options)
}

export { postiProfile }
export type { PostiCredentials, PostiEnvironment }
export type { paths as PostiPaths } from './generated/posti.js'
export { CarrierAuthError } from '@carrier-auth/core'
export type { AccessToken, CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions } from '@carrier-auth/core'
