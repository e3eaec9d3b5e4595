import type { AccessToken } from './access-token.js'
import type { CarrierAuth } from './create-carrier-auth.js'
import { authFetch, authMiddleware } from './middleware.js'
import { inspectSymbol } from './redaction.js'
import type { CachedEntry, GetTokenOptions, TokenCache } from './token-provider.js'

/** What every account of one carrier client shares: built once by `accounts.ts`. */
export interface AccountClient {
  readonly carrier: string
  readonly environment: string | undefined
  readonly baseUrl: string
  /** The client's clock, read directly when it is the system's. */
  readonly now: () => number
  readonly fetchImpl: () => typeof globalThis.fetch
  /** One account's token cache (the slow path: store, lock, ledger, retries), starting from `kept`. */
  cacheFor(given: Readonly<Record<string, unknown>>, kept: CachedEntry | undefined): TokenCache
}

/**
 * One account of a carrier client, kept small: its credentials, its cached entry, and (only while
 * a request, a failure or a refresh-ahead needs it) its token cache. A cached account is this
 * object, its credentials and its entry; the token cache, with its closures, keys and listener,
 * is built when the entry is missing or due for a refresh and let go once it holds a token that
 * is fresh and before its refresh-ahead again. A rebuilt cache starts from the entry it left,
 * jitter and back-off included, so letting it go changes no decision.
 *
 * Only client-credential accounts are kept this way: a rotating account's cache holds the one
 * live refresh token when the store missed its write, and is never let go (`authorization-code.ts`).
 */
export class AccountAuth implements CarrierAuth {
  readonly #client: AccountClient
  readonly #given: Readonly<Record<string, unknown>>
  #entry: CachedEntry | undefined
  #slow: TokenCache | undefined
  #fetch: CarrierAuth['fetch'] | undefined
  /** Asked for since the accounts map last looked (its second-chance eviction reads it). */
  #used = false
  /** When the accounts map last saw it used (updated as it looks: never earlier than the use). */
  #seenAt: number

  constructor(client: AccountClient, given: Readonly<Record<string, unknown>>, at: number) {
    this.#client = client
    this.#given = given
    this.#seenAt = at
  }

  get carrier(): string {
    return this.#client.carrier
  }
  get environment(): string | undefined {
    return this.#client.environment
  }
  get baseUrl(): string {
    return this.#client.baseUrl
  }

  getToken(options?: GetTokenOptions): Promise<AccessToken> {
    // The hot path: a fresh entry, before its refresh-ahead, and no cache kept. Everything else is the cache's.
    const e = this.#entry
    if (e !== undefined && options?.forceRefresh !== true && this.#client.now() < e.refreshAt) {
      return options?.signal?.aborted ? Promise.reject(options.signal.reason) : e.resolved
    }
    return this.#viaCache((cache) => cache.getToken(options))
  }

  invalidate(token: AccessToken | string): Promise<void> {
    return this.#viaCache((cache) => cache.invalidate(token))
  }

  async authorizationHeader(options?: GetTokenOptions): Promise<string> {
    return (await this.getToken(options)).authorizationHeader
  }

  middleware(): ReturnType<CarrierAuth['middleware']> {
    return authMiddleware(this)
  }

  /** Bound, so it can be handed on as a `fetch` implementation; built on first use. */
  get fetch(): CarrierAuth['fetch'] {
    return (this.#fetch ??= authFetch(this, this.#client.fetchImpl))
  }

  toJSON(): Record<string, unknown> {
    return { carrier: this.carrier, environment: this.environment, baseUrl: this.baseUrl }
  }

  [inspectSymbol](): string {
    return `CarrierAuth ${JSON.stringify(this.toJSON())}`
  }

  #viaCache<T>(run: (cache: TokenCache) => Promise<T>): Promise<T> {
    let cache = this.#slow
    if (cache === undefined) {
      // While a cache is kept it is the one authority on the entry (a forced refresh drops it for everyone).
      this.#slow = cache = this.#client.cacheFor(this.#given, this.#entry)
      this.#entry = undefined
    }
    const result = run(cache)
    const settle = () => this.#letGo(cache)
    result.then(settle, settle)
    return result
  }

  /**
   * Keeps the cache's entry and lets the cache go, when its entry is fresh and before its
   * refresh-ahead: then it has nothing running (an acquisition, a refresh-ahead, a forced
   * refresh all leave the entry missing or past its refresh-ahead until they end).
   */
  #letGo(cache: TokenCache) {
    if (this.#slow !== cache) return
    const e = cache.entry()
    if (e !== undefined && this.#client.now() < e.refreshAt) {
      this.#entry = e
      this.#slow = undefined
    }
  }

  /** Marks a use (the accounts map's lookup). */
  static touch(account: AccountAuth): void {
    account.#used = true
  }

  /**
   * For the accounts map's sweep at `at`: false when the account is idle (not used within
   * `idleMs`); a use seen now counts from now.
   */
  static recentlyUsed(account: AccountAuth, at: number, idleMs: number): { used: boolean; idle: boolean } {
    const used = account.#used
    if (used) {
      account.#used = false
      account.#seenAt = at
    }
    return { used, idle: account.#seenAt + idleMs <= at }
  }

  /** Whether `credentials` are this account's (the values it was built from, name by name). */
  static isFor(account: AccountAuth, credentials: Record<string, unknown>, names: readonly string[]): boolean {
    const given = account.#given
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      if (given[name] !== credentials[name]) return false
    }
    return true
  }

  /** The token cache, while one is kept (tests: a cached account keeps none). */
  static hasCache(account: AccountAuth): boolean {
    return account.#slow !== undefined
  }
}
