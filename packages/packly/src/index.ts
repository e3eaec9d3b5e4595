import { type CarrierAuth, type CarrierAuthOptions, createCarrierAuth } from '@carrier-auth/core'
import { type PacklyCredentials, type PacklyEnvironment, packlyProfile } from './packly-profile.js'

export type PacklyAuthOptions = PacklyCredentials & CarrierAuthOptions<PacklyEnvironment>

/** Tokens for Packly's REST API: `createPacklyAuth({ clientId, clientSecret, environment: 'live' })`. */
export function createPacklyAuth(options: PacklyAuthOptions): CarrierAuth {
  return createCarrierAuth(packlyProfile, options)
}

export { packlyProfile }
export type { PacklyCredentials, PacklyEnvironment }
export type { paths as PacklyPaths } from './generated/packly.js'
export { CarrierAuthError } from '@carrier-auth/core'
export type { AccessToken, CarrierAuth, CarrierAuthErrorCode, CarrierAuthEvent, CarrierAuthOptions } from '@carrier-auth/core'
