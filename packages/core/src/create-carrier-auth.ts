import type { Client, Middleware } from 'openapi-fetch'
import { createClient } from './openapi-client.js'
import { checkBackgroundTasks } from './background.js'
import { type Clock, systemClock } from './clock.js'
import { type CarrierAuthOptions, checkCredentials, checkOptions, type Endpoint, resolveEndpoint } from './config.js'
import { guardedFetch } from './guarded-fetch.js'
import { eventListeners } from './debug-log.js'
import { MemoryStore } from './memory-store.js'
import { authFetch, authMiddleware } from './middleware.js'
import type { CarrierProfile, Grant } from './profile.js'
import { inspectSymbol } from './redaction.js'
import { resolveRetry } from './retry.js'
import type { TokenStore } from './store.js'
import { requestTokenOnce } from './token-endpoint.js'
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

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_EXPIRY_BUFFER_MS = 60_000
/**
 * How long the answer to a refresh of a single-use refresh token is awaited. A refresh that was
 * sent is never abandoned at the ordinary timeout: its answer holds the only live refresh token.
 */
export const REFRESH_ANSWER_WAIT_MS = 120_000

/** Everything a carrier auth is built from, resolved once and shared by its account providers. */
export interface CarrierAuthParts {
  profile: CarrierProfile<{}, unknown, string>
  credentials: unknown
  identity: ReturnType<CarrierProfile<{}, unknown, string>['identity']>
  endpoint: Endpoint
  client: Client<{}>
  clock: Clock
  store: TokenStore
  options: CarrierAuthOptions<string>
  fetchImpl: () => typeof globalThis.fetch
  /** The carrier's cooldown is a floor: a user may wait longer, never less. */
  credentialsCooldownMs: number
  /** The values a kept error body or response must not hold: credentials and their encodings. */
  secrets: readonly string[]
}

/** Every form a credential value may take on the wire, for value redaction. */
function secretsOf(credentials: Record<string, unknown>, identity: { clientId: string; secret: string }): string[] {
  const values = Object.values(credentials).filter((v): v is string => typeof v === 'string' && v.length >= 4)
  const basic = (() => {
    try {
      return btoa(`${identity.clientId}:${identity.secret}`)
    } catch {
      return ''
    }
  })()
  return [...new Set([...values, ...values.map(encodeURIComponent), basic, identity.secret])].filter((v) => v.length >= 4)
}

/** Validates the options and resolves what every provider of this carrier auth shares. */
export function resolveParts<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: CarrierAuthFactoryOptions<Credentials, Env>,
): CarrierAuthParts {
  const generic = profile as unknown as CarrierProfile<{}, unknown, string>
  checkCredentials(generic, options as Record<string, unknown>)
  checkOptions(profile.carrier, options as Record<string, unknown>)
  checkBackgroundTasks(profile.carrier, options.backgroundTasks)
  const endpoint = resolveEndpoint(profile as unknown as CarrierProfile<{}, unknown, Env>, options)
  const picked: Record<string, unknown> = {}
  for (const name of [...profile.requiredCredentials, ...(profile.optionalCredentials ?? [])]) {
    if ((options as Record<string, unknown>)[name] !== undefined) picked[name] = (options as Record<string, unknown>)[name]
  }
  const credentials = profile.withDefaults ? profile.withDefaults(picked as Credentials) : picked
  const clock = options.clock ?? systemClock
  const userFetch = options.fetch
  const fetchImpl = () => userFetch ?? globalThis.fetch
  const identity = profile.identity(credentials as Credentials)
  return {
    profile: generic,
    credentials,
    identity,
    endpoint,
    // Token requests never follow a redirect (it would carry the credentials to another origin),
    // and their answers are read with a size limit.
    client: createClient<Paths>({ baseUrl: endpoint.baseUrl, redirect: 'manual', fetch: guardedFetch(fetchImpl) }) as Client<{}>,
    clock,
    store: options.store ?? new MemoryStore({ clock }),
    options: options as CarrierAuthOptions<string>,
    fetchImpl,
    credentialsCooldownMs: Math.max(options.credentialsCooldownMs ?? 0, profile.policy.credentialsCooldownMs),
    secrets: secretsOf(credentials as Record<string, unknown>, identity),
  }
}

/** One token request for `grant`, under the configured timeout. */
export function requestWith(parts: CarrierAuthParts, grant: Grant, remainingMs = Number.POSITIVE_INFINITY) {
  const configured = parts.options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // One attempt never outlives the acquisition's total deadline; a refresh's answer is awaited longer.
  const timeoutMs = grant.type === 'refresh_token' ? Math.max(configured, REFRESH_ANSWER_WAIT_MS) : Math.max(1, Math.min(configured, remainingMs))
  const secrets = grant.type === 'refresh_token' ? [...parts.secrets, grant.refreshToken] : grant.type === 'authorization_code' ? [...parts.secrets, grant.code] : parts.secrets
  return requestTokenOnce({
    profile: parts.profile,
    client: parts.client,
    credentials: parts.credentials,
    endpoint: parts.endpoint,
    grant,
    timeoutMs,
    now: () => parts.clock.now(),
    facts: {
      credentialNames: parts.profile.requiredCredentials,
      cooldownMs: parts.credentialsCooldownMs,
    },
    secrets,
  })
}

/** A provider over the shared parts: the carrier's client credentials, or one connected account. */
export function providerFor(parts: CarrierAuthParts, account?: string): CarrierAuth & { seed: TokenCache['seed'] } {
  const { profile, options, clock, endpoint } = parts
  const retry = resolveRetry(options.retry)
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
export function carrierFactory<Paths extends {}, Credentials, Env extends string>(profile: CarrierProfile<Paths, Credentials, Env>) {
  return (options: CarrierAuthFactoryOptions<Credentials, Env>): CarrierAuth => createCarrierAuth(profile, options)
}
