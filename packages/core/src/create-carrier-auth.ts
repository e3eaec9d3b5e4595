import type { Middleware } from 'openapi-fetch'
import { type CarrierAccounts, type CarrierAccountsOptions, createCarrierAccounts } from './accounts.js'
import { type CarrierAuthParts, DEFAULT_TIMEOUT_MS, REFRESH_ANSWER_WAIT_MS, requestWith, resolveParts } from './carrier-parts.js'
import type { CarrierAuthOptions } from './config.js'
import { eventListeners } from './debug-log.js'
import { authFetch, authMiddleware } from './middleware.js'
import type { CarrierProfile } from './profile.js'
import { inspectSymbol } from './redaction.js'
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

/** A provider over the shared parts: the carrier's client credentials, or one connected account. */
export function providerFor(parts: CarrierAuthParts, account?: string): CarrierAuth & { seed: TokenCache['seed'] } {
  const { profile, options, clock, endpoint } = parts
  const { retry } = parts
  const cache = createTokenCache({
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
  })
  const auth = {
    carrier: profile.carrier,
    environment: endpoint.environment,
    baseUrl: endpoint.baseUrl,
    getToken: cache.getToken,
    invalidate: cache.invalidate,
    async authorizationHeader(opts?: GetTokenOptions) {
      return (await cache.getToken(opts)).authorizationHeader
    },
    middleware: () => authMiddleware(cache),
    fetch: authFetch(cache, parts.fetchImpl),
  }
  const shown = { carrier: profile.carrier, environment: endpoint.environment, baseUrl: endpoint.baseUrl, ...(account ? { account } : {}) }
  Object.defineProperty(auth, inspectSymbol, { value: () => `CarrierAuth ${JSON.stringify(shown)}` })
  Object.defineProperty(auth, 'toJSON', { value: () => shown })
  Object.defineProperty(auth, 'seed', { value: cache.seed })
  return Object.freeze(auth) as CarrierAuth & { seed: TokenCache['seed'] }
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
    accounts: (options: CarrierAccountsOptions<Env>): CarrierAccounts<Credentials> => createCarrierAccounts(profile, options, providerFor),
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
