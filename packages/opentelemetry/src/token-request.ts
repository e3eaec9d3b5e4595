import type { CarrierAuthError, CarrierAuthEvent, RequestReason } from '@carrier-auth/core'

/** A token request that has ended, read from the one event that ends it. */
export interface FinishedTokenRequest {
  event: CarrierAuthEvent
  outcome: 'success' | 'failure'
  reason: RequestReason
  /** Where the token came from, on success. */
  source: 'network' | 'store' | undefined
  /** Requests sent to the carrier (0 for a store hit or a cooldown refusal). */
  attempts: number
  durationMs: number
  error: CarrierAuthError | undefined
}

/**
 * Every token request ends in exactly one of three events: `token_acquired`,
 * `token_request_failed` (a caller waited for it) or `token_refresh_failed` (a background
 * refresh-ahead). Each carries its duration and the time it ended, so a request is complete
 * without state kept between events: concurrent providers of one identity cannot be mixed up.
 */
export function finishedTokenRequest(event: CarrierAuthEvent): FinishedTokenRequest | undefined {
  switch (event.type) {
    case 'token_acquired':
      return { event, outcome: 'success', reason: event.reason, source: event.source, attempts: event.attempts, durationMs: event.durationMs, error: undefined }
    case 'token_request_failed':
      return { event, outcome: 'failure', reason: event.reason, source: undefined, attempts: event.attempts, durationMs: event.durationMs, error: event.error }
    case 'token_refresh_failed':
      return {
        event,
        outcome: 'failure',
        reason: 'refresh_ahead',
        source: undefined,
        attempts: event.error.attempts ?? 0,
        durationMs: event.durationMs,
        error: event.error,
      }
    default:
      return undefined
  }
}
