import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { AccessToken } from './access-token.js'
import { systemClock } from './clock.js'
import { type CarrierAuthOptions, checkCredentials, checkNumbers, resolveEndpoint } from './config.js'
import { MemoryStore } from './memory-store.js'
import { authFetch, authMiddleware } from './middleware.js'
import type { CarrierProfile } from './profile.js'
import { inspectSymbol } from './redaction.js'
import { resolveRetry } from './retry.js'
import { requestTokenOnce } from './token-endpoint.js'
import { createTokenCache, type GetTokenOptions, type TokenProvider } from './token-provider.js'

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
 * Builds a carrier's auth from its profile and the user's options. Every carrier factory is this
 * function applied to a profile; credentials are read once into this closure and never stored
 * on an object anyone can log.
 */
export function createCarrierAuth<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: CarrierAuthFactoryOptions<Credentials, Env>,
): CarrierAuth {
  const generic = profile as unknown as CarrierProfile<{}, unknown, string>
  checkCredentials(generic, options as Record<string, unknown>)
  checkNumbers(profile.carrier, options as Record<string, unknown>)
  const endpoint = resolveEndpoint(profile as unknown as CarrierProfile<{}, unknown, Env>, options)
  const picked: Record<string, unknown> = {}
  for (const name of profile.requiredCredentials) picked[name] = options[name]
  for (const [k, v] of Object.entries(options as Record<string, unknown>)) if (!(k in picked) && k === 'scope') picked[k] = v
  const credentials = (profile.withDefaults ? profile.withDefaults(picked as Credentials) : picked) as Credentials
  const identity = profile.identity(credentials)
  const clock = options.clock ?? systemClock
  const userFetch = options.fetch
  const fetchImpl = () => userFetch ?? globalThis.fetch
  const client = createClient<Paths>({ baseUrl: endpoint.baseUrl, fetch: (req: Request) => fetchImpl()(req) }) as Client<{}>
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS

  const cache = createTokenCache({
    carrier: profile.carrier,
    displayName: profile.displayName,
    endpoint,
    identity,
    store: options.store ?? new MemoryStore({ clock }),
    clock,
    retry: resolveRetry(options.retry),
    expiryBufferMs: options.expiryBufferMs ?? DEFAULT_EXPIRY_BUFFER_MS,
    refreshAheadMs: options.refreshAheadMs ?? profile.policy.refreshAheadMs,
    defaultLifetimeMs: profile.policy.defaultLifetimeMs,
    // The carrier's cooldown is a floor: a user may wait longer, never less.
    credentialsCooldownMs: Math.max(options.credentialsCooldownMs ?? 0, profile.policy.credentialsCooldownMs),
    credentialNames: profile.requiredCredentials,
    timeoutMs,
    onEvent: options.onEvent,
    request: (grant) =>
      requestTokenOnce({
        profile: generic,
        client,
        credentials,
        endpoint,
        grant,
        timeoutMs,
        now: () => clock.now(),
        facts: { credentialNames: profile.requiredCredentials },
      }),
  })

  const auth: CarrierAuth = {
    carrier: profile.carrier,
    environment: endpoint.environment,
    baseUrl: endpoint.baseUrl,
    getToken: cache.getToken,
    invalidate: cache.invalidate,
    async authorizationHeader(opts) {
      return (await cache.getToken(opts)).authorizationHeader
    },
    middleware: () => authMiddleware(cache),
    fetch: authFetch(cache, fetchImpl),
  }
  Object.defineProperty(auth, inspectSymbol, {
    value: () => `CarrierAuth { carrier: '${profile.carrier}', environment: ${JSON.stringify(endpoint.environment)}, baseUrl: '${endpoint.baseUrl}' }`,
  })
  Object.defineProperty(auth, 'toJSON', {
    value: () => ({ carrier: profile.carrier, environment: endpoint.environment, baseUrl: endpoint.baseUrl }),
  })
  return Object.freeze(auth)
}
