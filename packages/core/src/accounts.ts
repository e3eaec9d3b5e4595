import { type AccountClient, AccountAuth } from './account-auth.js'
import type { TokenCacheConfig } from './cache-env.js'
import { accountParts, type CarrierAuthParts, pickCredentials, resolveShared } from './carrier-parts.js'
import { monotonicNow, systemClock } from './clock.js'
import { type CarrierAuthOptions, checkCredentials } from './config.js'
import type { CarrierAuth } from './create-carrier-auth.js'
import { CarrierAuthError } from './errors.js'
import type { CarrierProfile } from './profile.js'
import { inspectSymbol } from './redaction.js'
import { createTokenCache } from './token-provider.js'

/** Options of a carrier client for many accounts: the factory's options, without credentials. */
export type CarrierAccountsOptions<Env extends string = string> = CarrierAuthOptions<Env> & {
  /** Account providers kept at most; beyond it the least recently used is dropped. Default 100,000. */
  maxAccounts?: number
  /**
   * An account not asked for this long is dropped. Default 1 hour. (A lookup reads no clock: an
   * account asked for since the last check counts from that check, so it may stay up to twice this.)
   */
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

type ConfigFor = (parts: CarrierAuthParts) => TokenCacheConfig

/**
 * A carrier client for many accounts: the shared parts are resolved once; an account adds its
 * credentials and, once warmed, its cached entry (`account-auth.ts`). Accounts are found by their
 * first credential (the user name or client id: a string the caller already holds, so a lookup
 * builds nothing), the others compared value by value; accounts sharing a first credential with
 * another one are kept under all their credentials in a second Map. Each Map is kept oldest first
 * (a used account gets a second chance), so the least recently used and the idle ones are dropped
 * from its front.
 */
export function createCarrierAccounts<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: CarrierAccountsOptions<Env>,
  configFor: ConfigFor,
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
  const first = names[0]!
  const client: AccountClient = {
    carrier: profile.carrier,
    environment: parts.endpoint.environment,
    baseUrl: parts.endpoint.baseUrl,
    now,
    fetchImpl: parts.fetchImpl,
    cacheFor: (given, kept) => createTokenCache(configFor(accountParts(parts, pickCredentials(generic, given))), kept),
  }
  /** By the first credential's value, in this closure only. */
  const byFirst = new Map<string, AccountAuth>()
  /** Accounts whose first credential another kept account has, by all their credential values. */
  const others = new Map<string, AccountAuth>()
  const size = () => byFirst.size + others.size
  const keyOf = (credentials: Record<string, unknown>) => {
    let key = ''
    for (const name of names) key += `${typeof credentials[name] === 'string' ? credentials[name] : ''}\u0000`
    return key
  }

  /**
   * Drops from a Map's front (oldest first) what is idle, or beyond maxAccounts. An account used
   * since the last look gets a second chance (moved to the back): a hit costs a flag, not a Map
   * re-insertion or a clock read, and the order stays close to least recently used.
   */
  function dropFrom(map: Map<string, AccountAuth>, at: number) {
    for (let turns = map.size; turns > 0; turns--) {
      const oldest = map.keys().next()
      if (oldest.done) return
      const account = map.get(oldest.value)!
      const { used, idle } = AccountAuth.recentlyUsed(account, at, accountIdleMs)
      if (used) {
        map.delete(oldest.value)
        map.set(oldest.value, account)
        continue
      }
      if (!idle && size() <= maxAccounts) return
      map.delete(oldest.value)
    }
  }
  const dropIdle = (at: number) => {
    dropFrom(others, at)
    dropFrom(byFirst, at)
  }

  /** An account not found by its first credential alone: among the others, or new. */
  function findOrBuild(credentials: Record<string, unknown>, sameFirst: AccountAuth | undefined): AccountAuth {
    const key = others.size > 0 || sameFirst !== undefined ? keyOf(credentials) : ''
    const other = others.size > 0 ? others.get(key) : undefined
    if (other !== undefined && AccountAuth.isFor(other, credentials, names)) {
      AccountAuth.touch(other)
      return other
    }
    checkCredentials(generic, credentials)
    const given: Record<string, unknown> = {}
    for (const name of names) given[name] = credentials[name]
    const at = now()
    const account = new AccountAuth(client, Object.freeze(given), at)
    if (sameFirst === undefined) byFirst.set(credentials[first] as string, account)
    else others.set(key, account)
    dropIdle(at)
    return account
  }

  const accounts = {
    carrier: profile.carrier,
    environment: parts.endpoint.environment,
    baseUrl: parts.endpoint.baseUrl,
    get size() {
      dropIdle(now())
      return size()
    },
    account(credentials: Credentials): CarrierAuth {
      if (!credentials || typeof credentials !== 'object') fail(`account() takes the credentials of one ${profile.displayName} account (${profile.requiredCredentials.join(', ')}).`)
      const given = credentials as Record<string, unknown>
      const value = given[first]
      const found = typeof value === 'string' ? byFirst.get(value) : undefined
      if (found !== undefined && AccountAuth.isFor(found, given, names)) {
        AccountAuth.touch(found)
        return found
      }
      return findOrBuild(given, found)
    },
    forget(credentials: Credentials): boolean {
      const given = credentials as Record<string, unknown>
      const value = given[first]
      const found = typeof value === 'string' ? byFirst.get(value) : undefined
      if (found !== undefined && AccountAuth.isFor(found, given, names)) return byFirst.delete(value as string)
      return others.delete(keyOf(given))
    },
  }
  const shown = { carrier: profile.carrier, environment: parts.endpoint.environment, baseUrl: parts.endpoint.baseUrl }
  Object.defineProperty(accounts, inspectSymbol, { value: () => `CarrierAccounts ${JSON.stringify(shown)}` })
  Object.defineProperty(accounts, 'toJSON', { value: () => shown })
  return Object.freeze(accounts)
}
