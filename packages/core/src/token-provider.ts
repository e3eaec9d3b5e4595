import { type AccessToken, fromStored, toStored } from './access-token.js'
import { type BackgroundTasks, joinBounded, refreshAheadRunner } from './background.js'
import { type CacheKeys, cacheKeys } from './cache-key.js'
import { type Clock, systemClock, timerSleep } from './clock.js'
import type { Endpoint } from './config.js'
import { CarrierAuthError } from './errors.js'
import { type CarrierAuthEvent, emitter, type EventListener, type RequestReason } from './events.js'
import { datedToken, type Freshness, freshnessOf } from './lifetime.js'
import { messageFor } from './messages.js'
import type { Grant } from './profile.js'
import { backoffDelay, type ResolvedRetry } from './retry.js'
import type { StoreEntry, TokenStore } from './store.js'
import type { TokenAnswer } from './token-endpoint.js'

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
}

/** What the provider needs from the layers around it. */
export interface TokenCacheConfig {
  carrier: string
  displayName: string
  endpoint: Endpoint
  identity: { clientId: string; secret: string; scope?: string | undefined }
  store: TokenStore
  clock: Clock
  retry: ResolvedRetry
  expiryBufferMs: number
  refreshAheadMs: number
  defaultLifetimeMs: number
  credentialsCooldownMs: number
  credentialNames: readonly string[]
  timeoutMs: number
  onEvent: EventListener | undefined
  /** Makes one request for `grant`, within `remainingMs` of the acquisition's deadline. */
  request(grant: Grant, remainingMs: number): Promise<TokenAnswer>
  /** Tokens come from single-use refresh tokens kept in the store, not from client credentials. */
  rotating?: boolean
  /** Extra identity for the cache key (the connected customer account, for rotation). */
  account?: string | undefined
  /** Runs a refresh-ahead beyond the calling request (a waitUntil). */
  backgroundTasks?: BackgroundTasks | undefined
}

/** A rotating entry holds a refresh token that never expires: keep it well beyond its access token. */
export const ROTATING_ENTRY_TTL_MS = 400 * 24 * 3_600_000

interface Entry extends Freshness {
  token: AccessToken
  /** The token, already resolved: the hot path hands out this one promise instead of making one per call. */
  resolved: Promise<AccessToken>
  /** No background refresh before this (set after a background failure). */
  backgroundAfter: number
}

/**
 * Cooldowns after rejected credentials, per account, for every provider in this process
 * (a provider built per request still cannot retry a rejected login). Fleets share them
 * through the store as well.
 */
const cooldowns = new Map<string, number>()

/**
 * The token cache every carrier inherits: reuse, expiry with a buffer, refresh-ahead, single
 * flight, retries, the credentials cooldown, a shared store.
 */
export function createTokenCache(config: TokenCacheConfig): TokenCache {
  const { clock, store, retry } = config
  const sleep = (ms: number, signal: AbortSignal | undefined, background: boolean) =>
    clock.sleep ? clock.sleep(ms, signal) : timerSleep(ms, signal, background)
  const emit = emitter(config.onEvent)
  const keysPromise = cacheKeys({
    carrier: config.carrier,
    endpoint: config.endpoint.baseUrl,
    clientId: config.identity.clientId,
    scope: config.identity.scope,
    secret: config.identity.secret,
    account: config.account,
  })
  let keyId = ''
  keysPromise.then((k) => (keyId = k.id)).catch(() => {})
  const base = () => ({ carrier: config.carrier, environment: config.endpoint.environment, keyId })
  const event = (e: DistributiveOmit<CarrierAuthEvent, 'carrier' | 'environment' | 'keyId'>) =>
    emit({ ...base(), ...e } as CarrierAuthEvent)

  // The system clock is read as Date.now itself: one call less on the hot path.
  const readNow = clock === systemClock ? Date.now : () => clock.now()
  let entry: Entry | undefined
  let inflight: Promise<AccessToken> | undefined
  /** The newest refresh token this process has seen (rotation only). */
  let lastRefreshToken: string | undefined
  /** A rotated refresh token the store has not accepted yet (it was unreachable). */
  let unpersisted: string | undefined

  function remember(token: AccessToken): Entry {
    const e: Entry = { token, resolved: Promise.resolve(token), ...freshnessOf(token, config.expiryBufferMs, config.refreshAheadMs), backgroundAfter: 0 }
    entry = e
    return e
  }

  /** A store operation that degrades to "no store" instead of failing the caller. */
  async function safely<T>(operation: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run()
    } catch (error) {
      event({ type: 'store_unavailable', operation, error })
      return undefined
    }
  }

  async function cooldownUntil(keys: CacheKeys): Promise<number> {
    const local = cooldowns.get(keys.account) ?? 0
    const shared = (await safely('getMarker', () => store.getMarker(`${keys.account}#cooldown`))) ?? 0
    return Math.max(local, shared)
  }

  async function checkCooldown(keys: CacheKeys) {
    const until = await cooldownUntil(keys)
    const now = clock.now()
    if (now < until) {
      throw new CarrierAuthError(
        messageFor('credentials_cooldown', {
          carrier: config.displayName,
          environment: config.endpoint.environment,
          host: config.endpoint.host,
          cooldownUntil: until,
        }),
        { code: 'credentials_cooldown', carrier: config.carrier, environment: config.endpoint.environment, retryAfterMs: until - now },
      )
    }
  }

  async function startCooldown(keys: CacheKeys, error: CarrierAuthError) {
    const until = clock.now() + config.credentialsCooldownMs
    cooldowns.set(keys.account, Math.max(until, cooldowns.get(keys.account) ?? 0))
    await safely('setMarker', () => store.setMarker(`${keys.account}#cooldown`, until, config.credentialsCooldownMs))
    event({ type: 'credentials_rejected', status: error.status, cooldownUntil: until })
  }

  /** A stored entry this caller may use instead of asking the carrier. */
  function usable(stored: StoreEntry | undefined, exclude: string | undefined, reason: RequestReason) {
    if (!stored || stored.token.accessToken === exclude) return undefined
    const f = freshnessOf(stored.token, config.expiryBufferMs, config.refreshAheadMs)
    const now = clock.now()
    if (now >= f.freshUntil) return undefined
    // A refresh-ahead wants a token newer than the one it is replacing.
    if (reason === 'refresh_ahead' && now >= f.refreshAt) return undefined
    return stored
  }

  /** Requests a token with retries, backoff with full jitter and Retry-After, within the deadline. */
  async function fetchToken(keys: CacheKeys, grant: Grant, reason: RequestReason, background: boolean) {
    const started = clock.now()
    const deadline = started + retry.deadlineMs
    for (let attempt = 1; ; attempt++) {
      event({ type: 'token_requested', reason, attempt })
      const sentAt = clock.now()
      try {
        const answer = await config.request(grant, deadline - sentAt)
        const token = datedToken(answer.fields, sentAt, answer.serverDate, config.defaultLifetimeMs)
        if (token.expiresAt <= clock.now()) {
          throw new CarrierAuthError(
            messageFor('invalid_response', {
              carrier: config.displayName,
              environment: config.endpoint.environment,
              host: config.endpoint.host,
              detail: 'the token it issued has already expired',
            }),
            { code: 'invalid_response', carrier: config.carrier, environment: config.endpoint.environment },
          )
        }
        return { token, attempts: attempt, durationMs: clock.now() - started }
      } catch (caught) {
        if (!CarrierAuthError.isInstance(caught)) throw caught
        const error = caught
        ;(error as { attempts: number | undefined }).attempts = attempt
        if (error.code === 'invalid_credentials') await startCooldown(keys, error)
        if (!error.retryable || attempt >= retry.maxAttempts) throw error
        const delayMs = error.code === 'rate_limited' && error.retryAfterMs !== undefined ? error.retryAfterMs : backoffDelay(attempt, retry)
        if (clock.now() + delayMs >= deadline) throw error
        event({ type: 'retry_scheduled', attempt, delayMs, code: error.code, status: error.status })
        await sleep(delayMs, undefined, background)
      }
    }
  }

  /** The slow path, run once per cache key at a time: store, lock, store again, network. */
  async function acquire(reason: RequestReason, exclude: string | undefined, background: boolean): Promise<AccessToken> {
    const keys = await keysPromise
    const started = clock.now()
    const fromStore = (stored: StoreEntry) => {
      const token = remember(fromStored(stored.token)).token
      event({ type: 'token_acquired', source: 'store', durationMs: clock.now() - started, attempts: 0, expiresAt: token.expiresAt })
      return token
    }
    // A forced refresh drops the token it replaces everywhere, so a later caller cannot get it back.
    if (exclude !== undefined) await safely('delete', () => store.delete(keys.token, exclude))
    let stored = await safely('get', () => store.get(keys.token))
    if (usable(stored, exclude, reason)) return fromStore(stored!)
    await checkCooldown(keys)
    const lockTtl = retry.deadlineMs + config.timeoutMs
    const lock = store.lock ? await safely('lock', () => store.lock!(keys.token, lockTtl)) : undefined
    try {
      if (lock) {
        // Whoever held the lock before us may have fetched (or rotated) already.
        stored = await safely('get', () => store.get(keys.token))
        if (usable(stored, exclude, reason)) return fromStore(stored!)
        await checkCooldown(keys)
      }
      if (!config.rotating) {
        const { token, attempts, durationMs } = await fetchToken(keys, { type: 'client_credentials' }, reason, background)
        await safely('set', () => store.set(keys.token, toStored(token), token.expiresAt - clock.now()))
        return acquired(token, attempts, durationMs)
      }
      return await rotate(keys, stored, reason, background, fromStore)
    } finally {
      await lock?.release().catch(() => {})
    }
  }

  function acquired(token: AccessToken, attempts: number, durationMs: number) {
    remember(token)
    event({ type: 'token_acquired', source: 'network', durationMs, attempts, expiresAt: token.expiresAt })
    return token
  }

  /**
   * Refresh-token rotation (single-use refresh tokens). Runs under the store's lock. The new pair
   * is written with compare-and-set against the version that was read, so an older answer can
   * never overwrite a newer pair, and it is persisted before anyone gets the access token.
   */
  async function rotate(
    keys: CacheKeys,
    stored: StoreEntry | undefined,
    reason: RequestReason,
    background: boolean,
    fromStore: (stored: StoreEntry) => AccessToken,
  ): Promise<AccessToken> {
    const tried = new Set<string>()
    let current = stored
    for (;;) {
      // The store is authoritative (another worker may have rotated); this process's own last
      // pair covers a store that was unreachable when it was written.
      const refreshToken = [unpersisted, current?.token.refreshToken, entry?.token.refreshToken, lastRefreshToken].find((t) => t && !tried.has(t))
      if (!refreshToken) throw notConnected(tried.size > 0)
      tried.add(refreshToken)
      let result
      try {
        result = await fetchToken(keys, { type: 'refresh_token', refreshToken }, 'refresh_token', background)
      } catch (error) {
        if (!CarrierAuthError.isInstance(error) || error.code !== 'invalid_grant') throw error
        // Refused: maybe someone rotated it already. Read again before giving up.
        const latest = await safely('get', () => store.get(keys.token))
        if (usable(latest, undefined, reason) && latest!.token.refreshToken !== refreshToken) return fromStore(latest!)
        current = latest
        if ([latest?.token.refreshToken, entry?.token.refreshToken, lastRefreshToken].some((t) => t && !tried.has(t))) continue
        event({ type: 'refresh_token_rejected', status: error.status })
        throw error
      }
      const { token, attempts, durationMs } = result
      // The server has revoked `refreshToken`: from here the new one must not be lost.
      lastRefreshToken = token.refreshToken ?? refreshToken
      const written = await persistRotated(keys, current?.version ?? 0, token)
      // Until a write lands, this process holds the only copy of the live refresh token: use it first.
      unpersisted = written === 'unavailable' ? lastRefreshToken : undefined
      if (written === 'conflict') {
        const latest = await safely('get', () => store.get(keys.token))
        if (latest && usable(latest, undefined, reason)) return fromStore(latest)
        await safely('set', () => store.set(keys.token, toStored(token), ROTATING_ENTRY_TTL_MS))
      }
      return acquired(token, attempts, durationMs)
    }
  }

  async function persistRotated(keys: CacheKeys, version: number, token: AccessToken): Promise<'written' | 'conflict' | 'unavailable'> {
    try {
      const v = await store.compareAndSet(keys.token, version, toStored(token), ROTATING_ENTRY_TTL_MS)
      return v === undefined ? 'conflict' : 'written'
    } catch (error) {
      event({ type: 'store_unavailable', operation: 'compareAndSet', error })
      return 'unavailable'
    }
  }

  function notConnected(refused: boolean) {
    const code = 'invalid_grant' as const
    return new CarrierAuthError(
      refused
        ? messageFor(code, { carrier: config.displayName, environment: config.endpoint.environment, host: config.endpoint.host })
        : `No ${config.displayName} refresh token is stored for this account: connect it first (authorizeUrl, then exchangeCode).`,
      { code, carrier: config.carrier, environment: config.endpoint.environment },
    )
  }

  /** Stores a pair obtained outside the cache (an authorization-code exchange). */
  async function seed(token: AccessToken): Promise<void> {
    const keys = await keysPromise
    lastRefreshToken = token.refreshToken
    await store.set(keys.token, toStored(token), ROTATING_ENTRY_TTL_MS)
    remember(token)
  }

  // A live acquisition waits for the lock at most one lease, then holds it at most one more: a
  // caller joining someone else's waits that long, and no longer.
  const joinBoundMs = 2 * (retry.deadlineMs + config.timeoutMs)
  const refreshAhead = refreshAheadRunner(config.backgroundTasks)

  function shared(reason: RequestReason, exclude: string | undefined, background = false): Promise<AccessToken> {
    const running = inflight
    if (running) {
      return joinBounded(running, joinBoundMs, () => {
        if (inflight === running) inflight = undefined
        return shared(reason, exclude, background)
      })
    }
    const p = acquire(reason, exclude, background)
    inflight = p
    const clear = () => {
      if (inflight === p) inflight = undefined
    }
    p.then(clear, clear)
    return p
  }

  function refreshInBackground(e: Entry, now: number): Promise<AccessToken> {
    if (inflight || now < e.backgroundAfter) return e.resolved
    const refresh = shared('refresh_ahead', undefined, refreshAhead.inBackground).catch((error: unknown) => {
      // The caller already has a valid token; report, and wait a little before trying again.
      e.backgroundAfter = clock.now() + Math.min(30_000, Math.max(1000, (e.freshUntil - clock.now()) / 4))
      event({ type: 'token_refresh_failed', error: error as CarrierAuthError })
      return e.token
    })
    return refreshAhead.run(refresh, e.resolved)
  }

  function waitFor(promise: Promise<AccessToken>, signal: AbortSignal | undefined): Promise<AccessToken> {
    if (!signal) return promise
    if (signal.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      promise.then(
        (t) => {
          signal.removeEventListener('abort', onAbort)
          resolve(t)
        },
        (err) => {
          signal.removeEventListener('abort', onAbort)
          reject(err)
        },
      )
    })
  }

  function slowPath(options: GetTokenOptions | undefined): Promise<AccessToken> {
    let exclude: string | undefined
    let reason: RequestReason = entry ? 'expired' : 'cold'
    if (options?.forceRefresh) {
      exclude = entry?.token.accessToken
      entry = undefined
      reason = 'forced'
    }
    return waitFor(shared(reason, exclude), options?.signal)
  }

  return {
    seed,
    getToken(options?: GetTokenOptions): Promise<AccessToken> {
      // The hot path: a fresh cached token, no I/O, no await.
      const e = entry
      if (e !== undefined && options?.forceRefresh !== true) {
        const now = readNow()
        if (now < e.refreshAt) return options?.signal?.aborted ? Promise.reject(options.signal.reason) : e.resolved
        if (now < e.freshUntil) return refreshInBackground(e, now)
      }
      return slowPath(options)
    },

    async invalidate(token: AccessToken | string): Promise<void> {
      const value = typeof token === 'string' ? token : token.accessToken
      if (entry?.token.accessToken === value) entry = undefined
      const keys = await keysPromise
      await safely('delete', () => store.delete(keys.token, value))
    },
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
