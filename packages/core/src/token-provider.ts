import { type AccessToken, fromStored, toStored } from './access-token.js'
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
  /** Makes one request for `grant`. */
  request(grant: Grant): Promise<TokenAnswer>
  /** The grant to use when the cache has nothing; the stored entry is passed for refresh-token grants. */
  grantFor?(stored: StoreEntry | undefined): Grant
}

interface Entry extends Freshness {
  token: AccessToken
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
export function createTokenCache(config: TokenCacheConfig): TokenProvider {
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
  })
  let keyId = ''
  keysPromise.then((k) => (keyId = k.id)).catch(() => {})
  const base = () => ({ carrier: config.carrier, environment: config.endpoint.environment, keyId })
  const event = (e: DistributiveOmit<CarrierAuthEvent, 'carrier' | 'environment' | 'keyId'>) =>
    emit({ ...base(), ...e } as CarrierAuthEvent)

  let entry: Entry | undefined
  let inflight: Promise<AccessToken> | undefined

  function remember(token: AccessToken): Entry {
    const e: Entry = { token, ...freshnessOf(token, config.expiryBufferMs, config.refreshAheadMs), backgroundAfter: 0 }
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
        const answer = await config.request(grant)
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
    let stored = await safely('get', () => store.get(keys.token))
    if (usable(stored, exclude, reason)) return fromStore(stored!)
    await checkCooldown(keys)
    const lockTtl = retry.deadlineMs + config.timeoutMs
    const lock = store.lock ? await safely('lock', () => store.lock!(keys.token, lockTtl)) : undefined
    try {
      if (lock) {
        // Whoever held the lock before us may have fetched already.
        stored = await safely('get', () => store.get(keys.token))
        if (usable(stored, exclude, reason)) return fromStore(stored!)
        await checkCooldown(keys)
      }
      const grant = config.grantFor ? config.grantFor(stored) : { type: 'client_credentials' as const }
      const { token, attempts, durationMs } = await fetchToken(keys, grant, reason, background)
      await safely('set', () => store.set(keys.token, toStored(token), token.expiresAt - clock.now()))
      remember(token)
      event({ type: 'token_acquired', source: 'network', durationMs, attempts, expiresAt: token.expiresAt })
      return token
    } finally {
      await lock?.release().catch(() => {})
    }
  }

  function shared(reason: RequestReason, exclude: string | undefined, background = false): Promise<AccessToken> {
    if (!inflight) {
      const p = acquire(reason, exclude, background)
      inflight = p
      const clear = () => {
        if (inflight === p) inflight = undefined
      }
      p.then(clear, clear)
    }
    return inflight
  }

  function refreshInBackground(e: Entry, now: number) {
    if (inflight || now < e.backgroundAfter) return
    shared('refresh_ahead', undefined, true).catch((error: unknown) => {
      // The caller already has a valid token; report, and wait a little before trying again.
      e.backgroundAfter = clock.now() + Math.min(30_000, Math.max(1000, (e.freshUntil - clock.now()) / 4))
      event({ type: 'token_refresh_failed', error: error as CarrierAuthError })
    })
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
    getToken(options?: GetTokenOptions): Promise<AccessToken> {
      // The hot path: a fresh cached token, no I/O, no await.
      const e = entry
      if (e !== undefined && options?.forceRefresh !== true) {
        const now = clock.now()
        if (now < e.refreshAt) return options?.signal?.aborted ? Promise.reject(options.signal.reason) : Promise.resolve(e.token)
        if (now < e.freshUntil) {
          refreshInBackground(e, now)
          return Promise.resolve(e.token)
        }
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
