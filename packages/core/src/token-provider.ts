import type { AccessToken } from './access-token.js'
import { createAcquirer } from './acquire.js'
import { joinBounded, refreshAheadRunner } from './background.js'
import type { CacheEnv, EventWithoutBase, TokenCacheConfig } from './cache-env.js'
import { type CacheKeys, cacheKeysOf } from './cache-key.js'
import { abortableWaits } from './abortable-waits.js'
import { systemClock, timerSleep } from './clock.js'
import { COARSE, COARSE_MARGIN_MS, type CoarseClock, processCoarseClock } from './coarse-clock.js'
import { CarrierAuthError } from './errors.js'
import { emitter, type RequestReason, type UnstampedEvent } from './events.js'
import { type Freshness, freshnessOf } from './lifetime.js'

export type { TokenCacheConfig } from './cache-env.js'
export { ROTATING_ENTRY_TTL_MS } from './rotation.js'

export interface GetTokenOptions {
  /** Drop the cached token and fetch a new one (shared with concurrent callers). */
  forceRefresh?: boolean
  /** Aborts this caller's wait only; a request shared with other callers goes on. */
  signal?: AbortSignal
}

/** Anything that hands out tokens. */
export interface TokenProvider {
  getToken(options?: GetTokenOptions): Promise<AccessToken>
  /** Drops the token if it is still the cached one (a resource API answered 401 with it). */
  invalidate(token: AccessToken | string): Promise<void>
}

/** The cache's own handle: a provider, plus seeding for pairs obtained outside it. */
export interface TokenCache extends TokenProvider {
  seed(token: AccessToken): Promise<void>
  /** The in-memory entry now: what a compact holder keeps once it lets this cache go (`accounts.ts`). */
  entry(): CachedEntry | undefined
  /** `Bearer …` of the token `getToken` would hand out; one prebuilt promise while it is fresh. */
  authorizationHeader(options?: GetTokenOptions): Promise<string>
}

/** A cached token with its freshness, as the hot path reads it. */
export interface CachedEntry extends Entry {}

interface Entry extends Freshness {
  token: AccessToken
  /** The token, already resolved: the hot path hands out this one promise instead of making one per call. */
  resolved: Promise<AccessToken>
  /** Its Authorization header, resolved, built on first use. */
  header: Promise<string> | undefined
  /** Before this, a coarse reading of the clock is far enough from `refreshAt` to be trusted. */
  coarseUntil: number
  /** No background refresh before this (set after a background failure). */
  backgroundAfter: number
}

/**
 * When this copy of a token starts its refresh-ahead: earlier than the plain moment by up to a
 * tenth of the lifetime (never before half of it), so accounts warmed together spread their
 * refreshes instead of all asking in the same second. Only ever earlier, so a refresh a carrier's
 * doc advises by a given age still happens by then.
 */
export function jittered(f: Freshness, token: { issuedAt: number; expiresAt: number }, random: () => number): number {
  const lifetime = token.expiresAt - token.issuedAt
  const spread = Math.min(lifetime / 10, f.refreshAt - (token.issuedAt + lifetime / 2))
  return spread > 0 ? f.refreshAt - random() * spread : f.refreshAt
}

/**
 * The token cache every carrier inherits: the hot path, freshness, single flight and abort
 * plumbing. The slow path (store, lock, ledger, retries, rotation) is `acquire.ts`.
 */
export function createTokenCache(config: TokenCacheConfig, kept?: CachedEntry): TokenCache {
  const { clock } = config
  const emit = emitter(config.onEvent, clock)
  // Keys are hashed when first needed (the first acquisition or event): building a provider hashes nothing.
  let keys: CacheKeys | undefined
  const keysOf = () =>
    (keys ??= cacheKeysOf({
      carrier: config.carrier,
      endpoint: config.endpoint.baseUrl,
      clientId: config.identity.clientId,
      scope: config.identity.scope,
      secret: config.identity.secret,
      account: config.account,
    }))
  const event = (e: EventWithoutBase) =>
    emit({ carrier: config.carrier, environment: config.endpoint.environment, host: config.endpoint.host, keyId: keysOf().id, ...e } as UnstampedEvent)

  // The hot path reads a coarse clock where there is one (the system clock's, or one a test
  // injects): far from the refresh-ahead moment its reading decides; near it, the precise clock.
  const coarse: CoarseClock | undefined = clock === systemClock ? processCoarseClock : (clock as { [COARSE]?: CoarseClock })[COARSE]
  const margin = coarse ? COARSE_MARGIN_MS : 0
  const readCoarse = coarse ? () => coarse.now() : () => clock.now()
  const waitFor = abortableWaits<AccessToken>()
  // A cache rebuilt for an account whose earlier one was let go starts from the entry it left.
  let entry: Entry | undefined = kept
  let inflight: Promise<AccessToken> | undefined
  /** What joiners of `inflight` await: it, or their own acquisition once it outlived any live one. */
  let joined: Promise<AccessToken> | undefined
  const refreshAhead = refreshAheadRunner(config.backgroundTasks)

  function remember(token: AccessToken): AccessToken {
    const f = freshnessOf(token, config.expiryBufferMs, config.refreshAheadMs)
    const refreshAt = jittered(f, token, config.retry.random)
    entry = { token, resolved: Promise.resolve(token), header: undefined, coarseUntil: refreshAt - margin, freshUntil: f.freshUntil, refreshAt, backgroundAfter: 0 }
    return token
  }

  const env: CacheEnv = {
    config,
    site: { carrier: config.carrier, displayName: config.displayName, environment: config.endpoint.environment, host: config.endpoint.host },
    keys: async () => keysOf(),
    event,
    async safely(operation, run) {
      try {
        return await run()
      } catch (error) {
        event({ type: 'store_unavailable', operation, error })
        return undefined
      }
    },
    sleep: (ms, background) => (clock.sleep ? clock.sleep(ms) : timerSleep(ms, undefined, background)),
    remember,
    current: () => entry?.token,
  }
  const acquirer = createAcquirer(env)

  /** The one failure event of an acquisition callers waited for (not one per caller, none for an abort). */
  function failed(error: unknown, reason: RequestReason, started: number) {
    if (!CarrierAuthError.isInstance(error)) return
    event({ type: 'token_request_failed', reason, code: error.code, attempts: error.attempts ?? 0, durationMs: clock.now() - started, error })
  }

  function shared(reason: RequestReason, exclude: string | undefined, background = false): Promise<AccessToken> {
    const running = inflight
    if (running) {
      // The acquisition may belong to a request context that has ended (Workers), and then never
      // settle: joiners share one bounded wait, after which one of them starts its own.
      joined ??= joinBounded(running, config.joinBoundMs, () => {
        if (inflight === running) inflight = undefined
        return shared(reason, exclude, background)
      })
      return joined
    }
    const started = clock.now()
    const p = acquirer.acquire(reason, exclude, background)
    inflight = p
    joined = undefined
    const clear = () => {
      if (inflight === p) {
        inflight = undefined
        joined = undefined
      }
    }
    p.then(clear, clear)
    // A background failure is reported as token_refresh_failed: no caller saw it.
    if (!background) p.catch((error: unknown) => failed(error, reason, started))
    return p
  }

  function refreshInBackground(e: Entry, now: number): Promise<AccessToken> {
    if (inflight || now < e.backgroundAfter) return e.resolved
    const started = clock.now()
    const refresh = shared('refresh_ahead', undefined, refreshAhead.inBackground).catch((error: unknown) => {
      // The caller already has a valid token; report, and wait a little before trying again.
      e.backgroundAfter = clock.now() + Math.min(30_000, Math.max(1000, (e.freshUntil - clock.now()) / 4))
      event({ type: 'token_refresh_failed', durationMs: clock.now() - started, error: error as CarrierAuthError })
      return e.token
    })
    // On Workers without a waitUntil, the calling request awaits the refresh; elsewhere it runs behind.
    return refreshAhead.run(refresh, e.resolved)
  }

  function slowPath(options: GetTokenOptions | undefined): Promise<AccessToken> {
    // A caller who has already given up is told so at once, as fetch does, and asks for nothing
    // (one read per slow-path caller; the waits below read their signals only when they settle).
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason)
    let exclude: string | undefined
    let reason: RequestReason = entry ? 'expired' : 'cold'
    if (options?.forceRefresh) {
      exclude = entry?.token.accessToken
      entry = undefined
      reason = 'forced'
    }
    return waitFor(shared(reason, exclude), options?.signal)
  }

  /** Past the hot path: near or past the refresh-ahead moment, options, or no token yet. */
  function warmPath(options: GetTokenOptions | undefined): Promise<AccessToken> {
    const e = entry
    if (e !== undefined && options?.forceRefresh !== true) {
      const now = clock.now()
      if (now < e.refreshAt) return options?.signal?.aborted ? Promise.reject(options.signal.reason) : e.resolved
      if (now < e.freshUntil) return refreshInBackground(e, now)
    }
    return slowPath(options)
  }

  const headerOf = (t: AccessToken) => t.authorizationHeader

  return {
    seed: acquirer.seed,
    entry: () => entry,
    getToken(options?: GetTokenOptions): Promise<AccessToken> {
      // The hot path: a fresh cached token, no I/O, no await, one coarse clock read.
      const e = entry
      if (e !== undefined && options === undefined && readCoarse() < e.coarseUntil) return e.resolved
      return warmPath(options)
    },

    authorizationHeader(options?: GetTokenOptions): Promise<string> {
      const e = entry
      if (e !== undefined && options === undefined && readCoarse() < e.coarseUntil) return (e.header ??= Promise.resolve(e.token.authorizationHeader))
      return warmPath(options).then(headerOf)
    },

    async invalidate(token: AccessToken | string): Promise<void> {
      const value = typeof token === 'string' ? token : token.accessToken
      if (entry?.token.accessToken === value) entry = undefined
      await acquirer.dropAccessToken(value)
    },
  }
}
