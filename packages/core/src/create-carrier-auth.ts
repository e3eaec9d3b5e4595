import type { Middleware } from 'openapi-fetch'
import { type CarrierAccounts, type CarrierAccountsOptions, createCarrierAccounts } from './accounts.js'
import { type CarrierAuthParts, DEFAULT_TIMEOUT_MS, REFRESH_ANSWER_WAIT_MS, requestWith, resolveParts } from './carrier-parts.js'
import type { CarrierAuthOptions } from './config.js'
import { eventListeners } from './debug-log.js'
import { authFetch, authMiddleware } from './middleware.js'
import type { CarrierProfile } from './profile.js'
import { inspectSymbol } from './redaction.js'
import type { AccessToken } from './access-token.js'
import type { TokenCacheConfig } from './cache-env.js'
import { createTokenCache, type GetTokenOptions, type TokenCache, type TokenProvider } from './token-provider.js'

/** What every carrier factory returns. */
export interface CarrierAuth extends TokenProvider {
  readonly carrier: string
  readonly environment: string | undefined
  /** The token endpoint's base URL in use. */
  readonly baseUrl: string
  /** `Bearer …` for an Authorization header. */
  authorizationHeader(options?: GetTokenOptions): Promise<string>
  /** openapi-fetch middleware for the carrier's other APIs. */
  middleware(): Middleware
  /** `fetch` that adds the header and retries once on a 401 with a fresh token. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
}

export type CarrierAuthFactoryOptions<Credentials, Env extends string> = Credentials & CarrierAuthOptions<Env>

const DEFAULT_EXPIRY_BUFFER_MS = 60_000

export { type CarrierAuthParts, REFRESH_ANSWER_WAIT_MS, requestWith, resolveParts } from './carrier-parts.js'

/** The connected account a provider serves, where it serves one (not enumerable, not spread). */
const ACCOUNT = Symbol('account')

/** What every provider shows when logged, shared by all of them: carrier, environment, base URL (and account). */
const providerPrototype = {
  toJSON(this: CarrierAuth & { [ACCOUNT]?: string }) {
    const account = this[ACCOUNT]
    return { carrier: this.carrier, environment: this.environment, baseUrl: this.baseUrl, ...(account ? { account } : {}) }
  },
  [inspectSymbol](this: { toJSON(): unknown }) {
    return `CarrierAuth ${JSON.stringify(this.toJSON())}`
  },
  seed(): Promise<void> {
    return Promise.reject(new TypeError('seed() is for rotating pairs'))
  },
}

function cacheConfig(parts: CarrierAuthParts, account: string | undefined): TokenCacheConfig {
  const { profile, options, clock, endpoint, retry } = parts
  return {
    carrier: profile.carrier,
    displayName: profile.displayName,
    endpoint,
    identity: parts.identity,
    store: parts.store,
    clock,
    retry,
    expiryBufferMs: options.expiryBufferMs ?? DEFAULT_EXPIRY_BUFFER_MS,
    refreshAheadMs: options.refreshAheadMs ?? profile.policy.refreshAheadMs,
    defaultLifetimeMs: profile.policy.defaultLifetimeMs,
    ledger: { cooldownMs: parts.credentialsCooldownMs, lockout: profile.policy.lockout },
    onEvent: eventListeners(options, [parts.identity.secret, account]),
    request: (grant, remainingMs) => requestWith(parts, grant, remainingMs),
    rotating: account !== undefined,
    account,
    backgroundTasks: options.backgroundTasks,
    // A live acquisition waits for the lock at most a deadline, then requests within one more (and
    // a refresh awaits its late answer): a caller joining someone else's waits that long, no longer.
    joinBoundMs: 2 * (retry.deadlineMs + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS)) + (account !== undefined ? REFRESH_ANSWER_WAIT_MS : 0),
  }
}

/**
 * A provider over the shared parts: the carrier's client credentials, or one connected account.
 * Its token cache is built on its first use, so an account that is built and never asked costs
 * a few closures, and building one per request costs microseconds.
 */
export function providerFor(parts: CarrierAuthParts, account?: string): CarrierAuth & { seed: TokenCache['seed'] } {
  const { endpoint } = parts
  let cache: TokenCache | undefined
  const built = () => (cache ??= createTokenCache(cacheConfig(parts, account)))
  const provider: TokenProvider = {
    getToken: (opts?: GetTokenOptions) => built().getToken(opts),
    invalidate: (token) => built().invalidate(token),
  }
  const auth = Object.create(providerPrototype) as CarrierAuth & { seed: TokenCache['seed'] }
  Object.assign(auth, {
    carrier: parts.profile.carrier,
    environment: endpoint.environment,
    baseUrl: endpoint.baseUrl,
    getToken: provider.getToken,
    invalidate: provider.invalidate,
    authorizationHeader: (opts?: GetTokenOptions) => built().authorizationHeader(opts),
    middleware: () => authMiddleware(provider),
    fetch: authFetch(provider, parts.fetchImpl),
  })
  if (account !== undefined) {
    Object.defineProperty(auth, ACCOUNT, { value: account })
    Object.defineProperty(auth, 'seed', { value: (token: AccessToken) => built().seed(token) })
  }
  return Object.freeze(auth)
}

/**
 * Builds a carrier's auth from its profile and the user's options. Every carrier factory is this
 * function applied to a profile; credentials are read once into this closure and never stored
 * on an object anyone can log.
 */
export function createCarrierAuth<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: CarrierAuthFactoryOptions<Credentials, Env>,
): CarrierAuth {
  return providerFor(resolveParts(profile, options))
}

/**
 * A carrier package's factory, from its profile: `export const createPostiAuth = carrierFactory(postiProfile)`.
 * Keeps every carrier's entry point one line, with the carrier's own credential names in its type.
 */
export function carrierFactory<Paths extends {}, Credentials, Env extends string>(profile: CarrierProfile<Paths, Credentials, Env>): CarrierFactory<Credentials, Env> {
  const factory = (options: CarrierAuthFactoryOptions<Credentials, Env>): CarrierAuth => createCarrierAuth(profile, options)
  return Object.assign(factory, {
    accounts: (options: CarrierAccountsOptions<Env>): CarrierAccounts<Credentials> => createCarrierAccounts(profile, options, (parts) => cacheConfig(parts, undefined)),
  })
}

/** A carrier package's entry point: one account from its credentials, or a client for many accounts. */
export interface CarrierFactory<Credentials, Env extends string> {
  (options: CarrierAuthFactoryOptions<Credentials, Env>): CarrierAuth
  /**
   * One carrier client for many accounts: `createPostiAuth.accounts({ environment, store })`, then
   * `.account({ username, password }).getToken()`. Every account shares the HTTP client, store,
   * retry settings, listener and request cap; each costs about a Map entry and its token.
   */
  accounts(options: CarrierAccountsOptions<Env>): CarrierAccounts<Credentials>
}
