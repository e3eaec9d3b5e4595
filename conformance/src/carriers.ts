import type { CarrierAuth, CarrierAuthOptions, CarrierProfile } from '@carrier-auth/core'
import { carrierModules } from './generated/carrier-modules.js'
import { carrierPackages } from './generated/carrier-packages.js'
import type { CarrierName } from './emulators/index.js'

type Credentials = Record<string, string>

/**
 * A carrier package as the matrix drives it: its factory, its environments, and what it can have.
 * What the carrier documents (lifetimes, lockout, hosts) is not here: it comes from the spec
 * (`factsOf`), so the package cannot be its own oracle.
 */
export interface CarrierUnderTest {
  name: CarrierName
  displayName: string
  create(credentials: Credentials, options: CarrierAuthOptions): CarrierAuth
  /** The package's own environment → base URL table (checked against the spec's servers). */
  environments: Readonly<Record<string, string | null>>
  /** The credential field that is the secret (the one a wrong-credentials scenario changes). */
  secretField: string
  /** Refresh-token rotation (authorization-code grant). */
  rotatesRefreshTokens: boolean
  /** `--live`: credential field → environment variable, and the environment to use. */
  live: { environment: string; variables: Record<string, string> }
  /** Credential fields the profile may go without (a merchant id): an unset variable for one is no error. */
  optionalCredentials: readonly string[]
  /** The package's profile (its credential fields for the README's table). */
  profile: CarrierProfile<{}, Credentials, string>
}

type AnyFactory = (options: never) => CarrierAuth

/**
 * Every carrier, one a carrier package: the factory and profile from the package, the rest from its
 * carrier module (`@carrier-auth/<carrier>/carrier`). Both lists are generated from the workspace.
 */
export const carriers: readonly CarrierUnderTest[] = (Object.keys(carrierModules) as CarrierName[]).map((name) => {
  const { matrix } = carrierModules[name]
  const { create, profile } = carrierPackages[name]
  return {
    name,
    displayName: profile.displayName,
    // The factories take credentials and options as one object; the matrix keeps them apart.
    create: (credentials, options) => (create as AnyFactory)({ ...credentials, ...options } as never),
    environments: profile.environments,
    secretField: matrix.secretField,
    rotatesRefreshTokens: matrix.rotatesRefreshTokens,
    live: { environment: matrix.live.environment, variables: { ...matrix.live.variables } as Record<string, string> },
    optionalCredentials: [...((profile as { optionalCredentials?: readonly string[] }).optionalCredentials ?? [])],
    profile: profile as unknown as CarrierProfile<{}, Credentials, string>,
  }
})
