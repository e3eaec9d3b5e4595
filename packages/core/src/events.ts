import type { Clock } from './clock.js'
import type { CarrierAuthError, CarrierAuthErrorCode } from './errors.js'

/** Why a token request was made. */
export type RequestReason = 'cold' | 'expired' | 'refresh_ahead' | 'forced' | 'refresh_token'

interface EventBase {
  carrier: string
  environment: string | undefined
  /** The token endpoint's host (and port), as in the base URL: never a credential. */
  host: string
  /** A short, non-reversible id of the cache key, for correlating events of one identity. */
  keyId: string
  /** When it happened: epoch milliseconds by the provider's clock (the injected one in tests). */
  at: number
}

export type CarrierAuthEvent =
  | (EventBase & { type: 'token_requested'; reason: RequestReason; attempt: number })
  | (EventBase & {
      type: 'token_acquired'
      /** Why the acquisition started (a rotating provider's requests say `refresh_token`). */
      reason: RequestReason
      source: 'network' | 'store'
      durationMs: number
      attempts: number
      expiresAt: number
    })
  | (EventBase & {
      /** An acquisition a caller was waiting for ended in this error: once per acquisition, not per caller. */
      type: 'token_request_failed'
      reason: RequestReason
      code: CarrierAuthErrorCode
      /** Requests sent; 0 when none was (a cooldown, for one). */
      attempts: number
      durationMs: number
      error: CarrierAuthError
    })
  | (EventBase & { type: 'token_refresh_failed'; durationMs: number; error: CarrierAuthError })
  | (EventBase & {
      type: 'retry_scheduled'
      attempt: number
      delayMs: number
      code: CarrierAuthErrorCode
      status: number | undefined
    })
  | (EventBase & { type: 'credentials_rejected'; status: number | undefined; cooldownUntil: number })
  | (EventBase & {
      type: 'refresh_token_rejected'
      status: number | undefined
      /** Refused by the carrier, or spent by a refresh whose answer was lost in transit. */
      why?: 'refused' | 'lost_answer'
    })
  /** The first rejected login of a provider whose store lives in memory: a restart forgets the ledger. */
  | (EventBase & { type: 'ledger_volatile'; cooldownUntil: number })
  | (EventBase & { type: 'store_unavailable'; operation: string; error: unknown })

export type CarrierAuthEventType = CarrierAuthEvent['type']
export type EventListener = (event: CarrierAuthEvent) => void

/** An event as the provider builds it; `emitter` stamps the time. */
export type UnstampedEvent = DistributiveOmit<CarrierAuthEvent, 'at'>

/**
 * Calls the listener with the event stamped by `clock`; a listener that throws never breaks a
 * token request.
 */
export function emitter(listener: EventListener | undefined, clock: Clock): (event: UnstampedEvent) => void {
  if (!listener) return () => {}
  return (event) => {
    try {
      listener({ ...event, at: clock.now() } as CarrierAuthEvent)
    } catch {
      // A broken listener must not turn a token into an error.
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
