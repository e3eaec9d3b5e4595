import type { AccessToken } from './access-token.js'
import type { BackgroundTasks } from './background.js'
import type { CacheKeys } from './cache-key.js'
import type { Clock } from './clock.js'
import type { Endpoint } from './config.js'
import type { ErrorSite } from './error-factory.js'
import type { CarrierAuthEvent, EventListener } from './events.js'
import type { LedgerPolicy } from './ledger.js'
import type { Grant } from './profile.js'
import type { ResolvedRetry } from './retry.js'
import type { TokenStore } from './store.js'
import type { TokenAnswer } from './token-endpoint.js'

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
  /** The account ledger's rules for this carrier (cooldown of a rejected secret, lockout budget). */
  ledger: LedgerPolicy
  onEvent: EventListener | undefined
  /** Makes one request for `grant`, within `remainingMs` of the acquisition's deadline. */
  request(grant: Grant, remainingMs: number): Promise<TokenAnswer>
  /** Tokens come from single-use refresh tokens kept in the store, not from client credentials. */
  rotating?: boolean
  /** Extra identity for the cache key (the connected customer account, for rotation). */
  account?: string | undefined
  /** Runs a refresh-ahead beyond the calling request (a waitUntil). */
  backgroundTasks?: BackgroundTasks | undefined
  /**
   * The longest a live acquisition takes (a lock wait, its requests, a refresh's late answer): a
   * caller waits that long on one another caller started before starting its own, and a lock
   * lease is renewed no longer.
   */
  joinBoundMs: number
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type EventWithoutBase = DistributiveOmit<CarrierAuthEvent, 'carrier' | 'environment' | 'host' | 'keyId' | 'at'>

/**
 * What the parts of one provider share: its configuration, its keys, its events, and the
 * in-memory entry. Built once per provider by `createTokenCache`, handed down, never reached
 * back up through.
 */
export interface CacheEnv {
  config: TokenCacheConfig
  site: ErrorSite
  keys(): Promise<CacheKeys>
  event(e: EventWithoutBase): void
  /** A store operation that degrades to "no store" (an event) instead of failing the caller. */
  safely<T>(operation: string, run: () => Promise<T>): Promise<T | undefined>
  sleep(ms: number, background: boolean): Promise<void>
  /** Makes `token` the provider's in-memory entry. */
  remember(token: AccessToken): AccessToken
  /** The in-memory entry's token, if any. */
  current(): AccessToken | undefined
}
