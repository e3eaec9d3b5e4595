import { accountParts, type CarrierAuthParts, pickCredentials, resolveShared } from './carrier-parts.js'
import { monotonicNow, systemClock } from './clock.js'
import type { CarrierAuthOptions } from './config.js'
import type { CarrierAuth } from './create-carrier-auth.js'
import { CarrierAuthError } from './errors.js'
import type { CarrierProfile } from './profile.js'
import { inspectSymbol } from './redaction.js'

/** Options of a carrier client for many accounts: the factory's options, without credentials. */
export type CarrierAccountsOptions<Env extends string = string> = CarrierAuthOptions<Env> & {
  /** Account providers kept at most; beyond it the least recently used is dropped. Default 100,000. */
  maxAccounts?: number
  /** An account not asked for this long is dropped. Default 1 hour. */
  accountIdleMs?: number
}

/** One carrier client serving many accounts. */
export interface CarrierAccounts<Credentials> {
  readonly carrier: string
  readonly environment: string | undefined
  readonly baseUrl: string
  /**
   * The provider of one account, from its credentials: the same provider for the same
   * credentials while it is kept. A dropped (idle) account is rebuilt on its next use and finds
   * its token in the shared store.
   */
  account(credentials: Credentials): CarrierAuth
  /** Account providers kept now. */
  readonly size: number
  /** Drops an account's provider now (its token stays in the store until it expires). */
  forget(credentials: Credentials): boolean
}

export const DEFAULT_MAX_ACCOUNTS = 100_000
export const DEFAULT_ACCOUNT_IDLE_MS = 3_600_000

interface Kept {
  provider: CarrierAuth
  usedAt: number
  /** Asked for since it was last placed at the back of the Map. */
  used: boolean
}

type ProviderFor = (parts: CarrierAuthParts) => CarrierAuth

/**
 * A carrier client for many accounts: the shared parts are resolved once; an account adds its
 * credentials and a token cache. Accounts are kept in a Map, oldest first (a used one gets a
 * second chance), so the least recently used and the idle ones are dropped from its front.
 */
export function createCarrierAccounts<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: CarrierAccountsOptions<Env>,
  providerFor: ProviderFor,
): CarrierAccounts<Credentials> {
  const generic = profile as unknown as CarrierProfile<{}, unknown, string>
  const { maxAccounts = DEFAULT_MAX_ACCOUNTS, accountIdleMs = DEFAULT_ACCOUNT_IDLE_MS, ...shared } = options as CarrierAccountsOptions<Env>
  const fail = (message: string) => {
    throw new CarrierAuthError(message, { code: 'invalid_config', carrier: profile.carrier })
  }
  if (!(Number.isInteger(maxAccounts) && maxAccounts >= 1)) fail('maxAccounts must be a whole number of at least 1.')
  if (!(typeof accountIdleMs === 'number' && accountIdleMs > 0)) fail('accountIdleMs must be a positive number of milliseconds.')
  for (const name of [...profile.requiredCredentials, ...(profile.optionalCredentials ?? [])]) {
    // Credentials belong to each account; one passed here would be silently shared by all of them.
    if ((shared as Record<string, unknown>)[name] !== undefined) fail(`Pass "${name}" to account(), not to accounts(): it belongs to one account.`)
  }
  const parts = resolveShared(profile as unknown as CarrierProfile<Paths, never, Env>, shared as CarrierAuthOptions<Env>)
  const now = parts.clock === systemClock ? monotonicNow : () => parts.clock.now()
  const names = [...profile.requiredCredentials, ...(profile.optionalCredentials ?? [])] as string[]
  /** Keyed by the credential values themselves, in this closure only: a lookup hashes nothing. */
  const kept = new Map<string, Kept>()
  const keyOf = (credentials: Record<string, unknown>) => {
    let key = ''
    for (const name of names) key += `${typeof credentials[name] === 'string' ? credentials[name] : ''}\u0000`
    return key
  }

  /**
   * Drops from the Map's front (oldest first) what is idle, or beyond maxAccounts. An entry used
   * since it was last placed gets a second chance (moved to the back): a hit costs a flag, not a
   * Map re-insertion, and the order stays close to least recently used.
   */
  function dropIdle(at: number) {
    for (let turns = kept.size; turns > 0; turns--) {
      const oldest = kept.keys().next()
      if (oldest.done) return
      const k = kept.get(oldest.value)!
      const idle = k.usedAt + accountIdleMs <= at
      if (!idle && k.used) {
        k.used = false
        kept.delete(oldest.value)
        kept.set(oldest.value, k)
        continue
      }
      if (!idle && kept.size <= maxAccounts) return
      kept.delete(oldest.value)
    }
  }

  const accounts = {
    carrier: profile.carrier,
    environment: parts.endpoint.environment,
    baseUrl: parts.endpoint.baseUrl,
    get size() {
      dropIdle(now())
      return kept.size
    },
    account(credentials: Credentials): CarrierAuth {
      if (!credentials || typeof credentials !== 'object') fail(`account() takes the credentials of one ${profile.displayName} account (${profile.requiredCredentials.join(', ')}).`)
      const key = keyOf(credentials as Record<string, unknown>)
      const at = now()
      const found = kept.get(key)
      if (found !== undefined) {
        found.usedAt = at
        found.used = true
        return found.provider
      }
      const provider = providerFor(accountParts(parts, pickCredentials(generic, credentials as Record<string, unknown>)))
      kept.set(key, { provider, usedAt: at, used: false })
      dropIdle(at)
      return provider
    },
    forget(credentials: Credentials): boolean {
      return kept.delete(keyOf(credentials as Record<string, unknown>))
    },
  }
  const shown = { carrier: profile.carrier, environment: parts.endpoint.environment, baseUrl: parts.endpoint.baseUrl }
  Object.defineProperty(accounts, inspectSymbol, { value: () => `CarrierAccounts ${JSON.stringify(shown)}` })
  Object.defineProperty(accounts, 'toJSON', { value: () => shown })
  return Object.freeze(accounts)
}
