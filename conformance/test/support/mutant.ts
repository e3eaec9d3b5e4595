import { type CarrierAuthOptions, type CarrierProfile, carrierFactory } from '@carrier-auth/core'
import { dhlEcommerceProfile } from '@carrier-auth/dhl-ecommerce'
import { packlyProfile } from '@carrier-auth/packly'
import { pitneyBowesProfile } from '@carrier-auth/pitney-bowes'
import { postFinanceProfile } from '@carrier-auth/postfinance'
import { postiProfile } from '@carrier-auth/posti'
import { type CarrierUnderTest, carriers } from '../../src/carriers.js'
import type { CarrierName } from '../../src/emulators/index.js'

// The profiles' generic parameters differ; a mutant only patches fields.
type AnyProfile = CarrierProfile<any, any, any>

const profiles: Record<CarrierName, AnyProfile> = {
  posti: postiProfile,
  'pitney-bowes': pitneyBowesProfile,
  postfinance: postFinanceProfile,
  packly: packlyProfile,
  'dhl-ecommerce': dhlEcommerceProfile,
}

/** The carrier as the matrix drives it, built from its real profile with one mistake planted. */
export function mutant(name: CarrierName, patch: (profile: AnyProfile) => Partial<AnyProfile>): CarrierUnderTest {
  const original = carriers.find((c) => c.name === name)!
  const profile = { ...profiles[name], ...patch(profiles[name]) }
  const create = carrierFactory(profile)
  return {
    ...original,
    environments: profile.environments,
    create: (credentials: Record<string, string>, options: CarrierAuthOptions) => create({ ...credentials, ...options } as never),
  }
}
