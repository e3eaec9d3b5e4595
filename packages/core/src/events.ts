import type { CarrierAuthError, CarrierAuthErrorCode } from './errors.js'

/** Why a token request was made. */
export type RequestReason = 'cold' | 'expired' | 'refresh_ahead' | 'forced' | 'refresh_token'

interface EventBase {
  carrier: string
  environment: string | undefined
  /** A short, non-reversible id of the cache key, for correlating events of one identity. */
  keyId: string
}

export type CarrierAuthEvent =
  | (EventBase & { type: 'token_requested'; reason: RequestReason; attempt: number })
  | (EventBase & {
      type: 'token_acquired'
      source: 'network' | 'store'
      durationMs: number
      attempts: number
      expiresAt: number
    })
  | (EventBase & { type: 'token_refresh_failed'; error: CarrierAuthError })
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

/** Calls the listener; a listener that throws never breaks a token request. */
export function emitter(listener: EventListener | undefined): EventListener {
  if (!listener) return () => {}
  return (event) => {
    try {
      listener(event)
    } catch {
      // A broken listener must not turn a token into an error.
    }
  }
}
