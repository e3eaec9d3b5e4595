import { AccessToken } from './access-token.js'
import type { TokenFields } from './profile.js'
import { believedLifetime } from './token-fields.js'

/** A server clock more than this far from ours is treated as skewed, not as an old token. */
const MAX_TRUSTED_SKEW_MS = 5 * 60_000

/**
 * Dates a token by the client's clock. The lifetime runs from when the request was *sent*
 * (the earliest moment the server could have issued it), so network time only shortens it.
 *
 * When the carrier states its own issue time (Pitney Bowes' `issuedAt`, ms by the server's
 * clock), the token may be older than this request (a reissued live token): its age is taken
 * from the server's `Date` header when there is one (both times by the server's clock), else
 * from our clock, and only when that agrees within 5 minutes; a skewed server clock never
 * shortens or lengthens a token beyond its stated lifetime.
 */
export function datedToken(fields: TokenFields, sentAt: number, serverDate: number | undefined, defaultLifetimeMs: number): AccessToken {
  const lifetimeMs = believedLifetime(fields.expiresInMs, defaultLifetimeMs)
  let ageMs = 0
  if (fields.serverIssuedAt !== undefined) {
    const reference = serverDate ?? sentAt
    const age = reference - fields.serverIssuedAt
    const trusted = serverDate !== undefined ? age >= -1000 : Math.abs(age) <= MAX_TRUSTED_SKEW_MS
    // Date has one-second precision: an issue time a little after it is "just now".
    if (trusted) ageMs = Math.min(Math.max(0, age), lifetimeMs)
  }
  const issuedAt = sentAt - ageMs
  return new AccessToken({
    accessToken: fields.accessToken,
    expiresAt: issuedAt + lifetimeMs,
    issuedAt,
    scope: fields.scope,
    refreshToken: fields.refreshToken,
  })
}

/** When a token stops being handed out, and when a background refresh should start. */
export interface Freshness {
  /** `expiresAt - buffer`: from here on the token is never returned. */
  freshUntil: number
  /** From here on the token is returned but one background refresh starts. */
  refreshAt: number
}

export function freshnessOf(token: { issuedAt: number; expiresAt: number }, expiryBufferMs: number, refreshAheadMs: number): Freshness {
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt)
  const freshUntil = token.expiresAt - Math.min(expiryBufferMs, lifetime / 2)
  // Refresh-ahead never starts before half the lifetime, so a large window cannot loop.
  const refreshAt = Math.min(freshUntil, Math.max(token.issuedAt + lifetime / 2, token.expiresAt - refreshAheadMs))
  return { freshUntil, refreshAt }
}
