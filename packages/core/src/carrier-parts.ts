import type { Client } from 'openapi-fetch'
import { checkBackgroundTasks } from './background.js'
import { type Clock, systemClock } from './clock.js'
import { type CarrierAuthOptions, checkCredentials, checkOptions, type Endpoint, resolveEndpoint } from './config.js'
import { guardedFetch } from './guarded-fetch.js'
import { MemoryStore } from './memory-store.js'
import { createClient } from './openapi-client.js'
import type { CarrierProfile, Grant } from './profile.js'
import { DEFAULT_MAX_CONCURRENT_REQUESTS, type RequestSlots, requestSlots } from './request-slots.js'
import { type ResolvedRetry, resolveRetry } from './retry.js'
import type { TokenStore } from './store.js'
import { requestTokenOnce } from './token-endpoint.js'

export const DEFAULT_TIMEOUT_MS = 10_000
/**
 * How long the answer to a refresh of a single-use refresh token is awaited. A refresh that was
 * sent is never abandoned at the ordinary timeout: its answer holds the only live refresh token.
 */
export const REFRESH_ANSWER_WAIT_MS = 120_000

type GenericProfile = CarrierProfile<{}, unknown, string>

/** What every account of one carrier client shares: resolved once, whatever the number of accounts. */
export interface SharedParts {
  profile: GenericProfile
  endpoint: Endpoint
  client: Client<{}>
  clock: Clock
  store: TokenStore
  options: CarrierAuthOptions<string>
  retry: ResolvedRetry
  fetchImpl: () => typeof globalThis.fetch
  /** The carrier's cooldown is a floor: a user may wait longer, never less. */
  credentialsCooldownMs: number
  /** Token requests this client has in flight at once. */
  slots: RequestSlots
}

/** Everything a carrier auth is built from: the shared parts and one account's credentials. */
export interface CarrierAuthParts extends SharedParts {
  credentials: unknown
  identity: ReturnType<GenericProfile['identity']>
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

/** Validates the options that are not credentials and resolves what every account shares. */
export function resolveShared<Paths extends {}, Env extends string>(profile: CarrierProfile<Paths, never, Env>, options: CarrierAuthOptions<Env>): SharedParts {
  const generic = profile as unknown as GenericProfile
  checkOptions(profile.carrier, options as unknown as Record<string, unknown>)
  checkBackgroundTasks(profile.carrier, options.backgroundTasks)
  const endpoint = resolveEndpoint(profile as unknown as CarrierProfile<{}, unknown, Env>, options)
  const clock = options.clock ?? systemClock
  const userFetch = options.fetch
  const fetchImpl = () => userFetch ?? globalThis.fetch
  return {
    profile: generic,
    endpoint,
    // Token requests never follow a redirect (it would carry the credentials to another origin),
    // and their answers are read with a size limit.
    client: createClient<Paths>({ baseUrl: endpoint.baseUrl, redirect: 'manual', fetch: guardedFetch(fetchImpl) }) as Client<{}>,
    clock,
    store: options.store ?? new MemoryStore({ clock }),
    options: options as CarrierAuthOptions<string>,
    retry: resolveRetry(options.retry),
    fetchImpl,
    credentialsCooldownMs: Math.max(options.credentialsCooldownMs ?? 0, profile.policy.credentialsCooldownMs),
    slots: requestSlots(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS),
  }
}

/** The carrier's credential fields out of `source` (options or an account's credentials), checked and defaulted. */
export function pickCredentials(profile: GenericProfile, source: Record<string, unknown>): unknown {
  checkCredentials(profile, source)
  const picked: Record<string, unknown> = {}
  for (const name of [...profile.requiredCredentials, ...(profile.optionalCredentials ?? [])]) {
    if (source[name] !== undefined) picked[name] = source[name]
  }
  return profile.withDefaults ? profile.withDefaults(picked) : picked
}

/** One account's parts over the shared ones (read through the prototype: no copy per account). */
export function accountParts(shared: SharedParts, credentials: unknown): CarrierAuthParts {
  const parts = Object.create(shared) as CarrierAuthParts & { credentials: unknown; identity: CarrierAuthParts['identity'] }
  parts.credentials = credentials
  parts.identity = shared.profile.identity(credentials)
  return parts
}

/** The values a kept error body or response must not hold, built when a request first needs them. */
const redactionLists = new WeakMap<CarrierAuthParts, readonly string[]>()
export function secretsFor(parts: CarrierAuthParts): readonly string[] {
  let list = redactionLists.get(parts)
  if (!list) redactionLists.set(parts, (list = secretsOf(parts.credentials as Record<string, unknown>, parts.identity)))
  return list
}

/** Validates the options and resolves one carrier auth's parts (its own shared parts and credentials). */
export function resolveParts<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: Credentials & CarrierAuthOptions<Env>,
): CarrierAuthParts {
  const generic = profile as unknown as GenericProfile
  const credentials = pickCredentials(generic, options as Record<string, unknown>)
  return accountParts(resolveShared(profile as unknown as CarrierProfile<Paths, never, Env>, options), credentials)
}

/** One token request for `grant`, under the configured timeout, in one of the client's request slots. */
export function requestWith(parts: CarrierAuthParts, grant: Grant, remainingMs = Number.POSITIVE_INFINITY) {
  const configured = parts.options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // One attempt never outlives the acquisition's total deadline; a refresh's answer is awaited longer.
  const timeoutMs = grant.type === 'refresh_token' ? Math.max(configured, REFRESH_ANSWER_WAIT_MS) : Math.max(1, Math.min(configured, remainingMs))
  const base = secretsFor(parts)
  const secrets = grant.type === 'refresh_token' ? [...base, grant.refreshToken] : grant.type === 'authorization_code' ? [...base, grant.code] : base
  return parts.slots.run(() =>
    requestTokenOnce({
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
    }),
  )
}
