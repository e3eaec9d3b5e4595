import type { Clock } from './clock.js'
import { configError as invalidConfig } from './error-factory.js'
import type { CarrierAuthLogger } from './debug-log.js'
import type { EventListener } from './events.js'
import type { CarrierProfile } from './profile.js'
import type { RetryOptions } from './retry.js'
import type { TokenStore } from './store.js'

/** Where the token endpoint is: a named environment of the carrier, or a base URL — never both. */
export type EndpointOption<Env extends string = string> =
  | {
      /** A named environment of the carrier. Either this or `baseUrl`. */
      environment: Env
      baseUrl?: never
    }
  | {
      /** The token endpoint's base URL (emulators, proxies, hosts a carrier does not publish). */
      baseUrl: string
      environment?: never
    }

/** Options every carrier factory takes, beside the carrier's own credentials. */
export type CarrierAuthOptions<Env extends string = string> = CommonOptions & EndpointOption<Env>

/** The options that do not name the endpoint. */
export interface CommonOptions {
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch
  /** Where tokens are kept; share one between providers to share tokens. Default: a new MemoryStore. */
  store?: TokenStore
  /** Time source; tests inject a manual clock. */
  clock?: Clock
  /** Time limit of one token request. Default 10 s. */
  timeoutMs?: number
  retry?: RetryOptions
  /** Inside this window before expiry, the cached token is served and one background refresh starts. */
  refreshAheadMs?: number
  /**
   * Runs the background refresh beyond the calling request, on runtimes that cancel what a request
   * leaves running. Cloudflare Workers: `backgroundTasks: (p) => ctx.waitUntil(p)`, or `waitUntil`
   * from `cloudflare:workers` for an auth built at module scope. Without it, Workers refresh in the
   * foreground (the request that starts the refresh awaits it); elsewhere the refresh runs in this process.
   */
  backgroundTasks?: (task: Promise<unknown>) => void
  /** A token is never handed out this close to expiry. Default 60 s, capped at half the lifetime. */
  expiryBufferMs?: number
  /** Wait after rejected credentials. Never below the carrier's floor (Posti: 20 min). */
  credentialsCooldownMs?: number
  /**
   * Token requests this carrier client has in flight at once (one HTTP attempt each, never held
   * across a retry's wait). Shared by every account of `factory.accounts()`. Default 16.
   */
  maxConcurrentRequests?: number
  onEvent?: EventListener
  /** Events as log lines at or above `logger.level` (default info). `CARRIER_AUTH_DEBUG=1` logs them all to stderr. */
  logger?: CarrierAuthLogger
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

export interface Endpoint {
  baseUrl: string
  environment: string | undefined
  host: string
}

const configError = (carrier: string, environment: string | undefined, message: string) => invalidConfig(carrier, message, environment)

/** Resolves `environment` / `baseUrl` into one base URL, refusing plain http except to loopback. */
export function resolveEndpoint<Env extends string>(
  profile: CarrierProfile<{}, unknown, Env>,
  options: { environment?: Env | undefined; baseUrl?: string | undefined },
): Endpoint {
  const { carrier } = profile
  const names = Object.keys(profile.environments) as Env[]
  const env = options.environment
  if (env !== undefined && options.baseUrl !== undefined) {
    throw configError(carrier, undefined, `Pass either environment or baseUrl to the ${carrier} factory, not both.`)
  }
  if (env !== undefined && !names.includes(env)) {
    // The value is not repeated: a mistyped option is sometimes a secret pasted in the wrong place.
    throw configError(carrier, undefined, `Unknown ${carrier} environment: use one of ${names.join(', ')}, or pass baseUrl.`)
  }
  let raw = options.baseUrl
  if (raw === undefined) {
    if (env === undefined) {
      throw configError(carrier, undefined, `Pass environment (${names.join(', ')}) or baseUrl to the ${carrier} factory.`)
    }
    const host = profile.environments[env]
    if (host === null) {
      throw configError(
        carrier,
        env,
        `${profile.displayName} publishes no host for the "${env}" environment: pass its base URL as baseUrl (the one ${profile.displayName} gave you).`,
      )
    }
    raw = host
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw configError(carrier, env, `baseUrl is not a valid absolute URL.`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw configError(
      carrier,
      env,
      `baseUrl must use https (plain http is accepted only for loopback hosts such as 127.0.0.1, for emulators): credentials would travel in clear text.`,
    )
  }
  if (url.username || url.password) {
    throw configError(carrier, env, `baseUrl must not carry credentials; pass them as the factory's credential options.`)
  }
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  return { baseUrl, environment: env, host: url.host }
}

/** Checks the carrier's required credential fields are non-empty strings; names the field, never the value. */
export function checkCredentials(profile: CarrierProfile<{}, unknown, string>, credentials: Record<string, unknown>) {
  for (const name of profile.requiredCredentials) {
    const value = credentials[name]
    if (typeof value !== 'string' || value.trim().length === 0) {
      throw configError(
        profile.carrier,
        undefined,
        `${profile.displayName} needs "${name}" as a non-empty string (${profile.requiredCredentials.join(', ')} are required).`,
      )
    }
  }
}

/** What a store must have to be one (the lock is optional). */
const STORE_METHODS = ['get', 'set', 'compareAndSet', 'delete', 'getMarker', 'setMarker'] as const

/**
 * Checks every option a factory takes, naming the option and never echoing its value (a value
 * in the wrong place is sometimes a secret).
 */
export function checkOptions(carrier: string, options: Record<string, unknown>) {
  const fail = (message: string) => {
    throw configError(carrier, undefined, message)
  }
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0
  const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0
  if (options.timeoutMs !== undefined && !positive(options.timeoutMs)) fail('timeoutMs must be a positive number of milliseconds.')
  if (options.maxConcurrentRequests !== undefined && !(positive(options.maxConcurrentRequests) && Number.isInteger(options.maxConcurrentRequests))) {
    fail('maxConcurrentRequests must be a whole number of at least 1.')
  }
  for (const name of ['refreshAheadMs', 'expiryBufferMs', 'credentialsCooldownMs']) {
    if (options[name] !== undefined && !nonNegative(options[name])) fail(`${name} must be a non-negative number of milliseconds.`)
  }
  const retry = options.retry
  if (retry !== undefined) {
    if (!retry || typeof retry !== 'object') fail('retry must be an object ({ maxAttempts, baseDelayMs, maxDelayMs, deadlineMs }).')
    const r = retry as Record<string, unknown>
    if (r.maxAttempts !== undefined && !(positive(r.maxAttempts) && Number.isInteger(r.maxAttempts))) fail('retry.maxAttempts must be a whole number of at least 1.')
    for (const name of ['baseDelayMs', 'maxDelayMs']) {
      if (r[name] !== undefined && !nonNegative(r[name])) fail(`retry.${name} must be a non-negative number of milliseconds.`)
    }
    if (r.deadlineMs !== undefined && !positive(r.deadlineMs)) fail('retry.deadlineMs must be a positive number of milliseconds.')
    if (r.random !== undefined && typeof r.random !== 'function') fail('retry.random must be a function returning a number in [0, 1).')
  }
  const store = options.store as Record<string, unknown> | undefined
  if (store !== undefined && (!store || typeof store !== 'object' || STORE_METHODS.some((m) => typeof store[m] !== 'function'))) {
    fail(`store must be a TokenStore (an object with ${STORE_METHODS.join(', ')}).`)
  }
  if (store && store.lock !== undefined && typeof store.lock !== 'function') fail('store.lock must be a function when present.')
  const clock = options.clock as Record<string, unknown> | undefined
  if (clock !== undefined && (!clock || typeof clock.now !== 'function')) fail('clock must be an object with a now() method returning epoch milliseconds.')
  if (clock?.sleep !== undefined && typeof clock.sleep !== 'function') fail('clock.sleep must be a function when present.')
  for (const name of ['onEvent', 'fetch']) {
    if (options[name] !== undefined && typeof options[name] !== 'function') fail(`${name} must be a function.`)
  }
  if (options.baseUrl !== undefined && typeof options.baseUrl !== 'string') fail('baseUrl must be a string (an absolute https URL).')
}
