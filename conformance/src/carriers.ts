import type { CarrierAuth, CarrierAuthOptions } from '@carrier-auth/core'
import { createDhlEcommerceAuth, dhlEcommerceProfile } from '@carrier-auth/dhl-ecommerce'
import { createPacklyAuth, packlyProfile } from '@carrier-auth/packly'
import { createPitneyBowesAuth, pitneyBowesProfile } from '@carrier-auth/pitney-bowes'
import { createPostFinanceAuth, postFinanceProfile } from '@carrier-auth/postfinance'
import { createPostiAuth, postiProfile } from '@carrier-auth/posti'
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
}

// The factories take credentials and options as one object; the matrix keeps them apart.
const join = <T>(credentials: Credentials, options: CarrierAuthOptions) => ({ ...credentials, ...options }) as T

export const carriers: readonly CarrierUnderTest[] = [
  {
    name: 'posti',
    displayName: postiProfile.displayName,
    create: (c, o) => createPostiAuth(join(c, o)),
    environments: postiProfile.environments,
    secretField: 'password',
    rotatesRefreshTokens: false,
    live: { environment: 'qa', variables: { username: 'POSTI_USERNAME', password: 'POSTI_PASSWORD' } },
  },
  {
    name: 'pitney-bowes',
    displayName: pitneyBowesProfile.displayName,
    create: (c, o) => createPitneyBowesAuth(join(c, o)),
    environments: pitneyBowesProfile.environments,
    secretField: 'apiSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { apiKey: 'PITNEY_BOWES_API_KEY', apiSecret: 'PITNEY_BOWES_API_SECRET' } },
  },
  {
    name: 'postfinance',
    displayName: postFinanceProfile.displayName,
    create: (c, o) => createPostFinanceAuth(join(c, o)),
    environments: postFinanceProfile.environments,
    secretField: 'clientSecret',
    rotatesRefreshTokens: true,
    live: {
      environment: 'production',
      variables: { clientId: 'POSTFINANCE_CLIENT_ID', clientSecret: 'POSTFINANCE_CLIENT_SECRET', scope: 'POSTFINANCE_SCOPE' },
    },
  },
  {
    name: 'packly',
    displayName: packlyProfile.displayName,
    create: (c, o) => createPacklyAuth(join(c, o)),
    environments: packlyProfile.environments,
    secretField: 'clientSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { clientId: 'PACKLY_CLIENT_ID', clientSecret: 'PACKLY_CLIENT_SECRET', baseUrl: 'PACKLY_SANDBOX_BASE_URL' } },
  },
  {
    name: 'dhl-ecommerce',
    displayName: dhlEcommerceProfile.displayName,
    create: (c, o) => createDhlEcommerceAuth(join(c, o)),
    environments: dhlEcommerceProfile.environments,
    secretField: 'clientSecret',
    rotatesRefreshTokens: false,
    live: { environment: 'sandbox', variables: { clientId: 'DHL_ECOMMERCE_CLIENT_ID', clientSecret: 'DHL_ECOMMERCE_CLIENT_SECRET' } },
  },
]
