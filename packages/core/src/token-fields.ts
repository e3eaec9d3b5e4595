import type { TokenFields } from './profile.js'

/** The longest lifetime believed: a token said to live longer is refused (no carrier issues one). */
export const MAX_LIFETIME_MS = 366 * 24 * 3_600_000

/**
 * Characters a bearer token may hold so that `Bearer <token>` is a valid header value:
 * visible ASCII and Latin-1 (no CR, LF, NUL, space, control or wider characters).
 */
const HEADER_SAFE = /^[\x21-\x7e\x80-\xff]+$/

/**
 * Checks the token fields a carrier sent before anything is cached. Returns why they are not a
 * usable token (for an invalid_response message), or undefined when they are. Never quotes them.
 */
export function unusableFields(fields: TokenFields): string | undefined {
  if (!HEADER_SAFE.test(fields.accessToken)) return 'the access token holds characters that cannot go in an HTTP header'
  if (fields.accessToken.length > 16 * 1024) return 'the access token is longer than 16 KB'
  const lifetime = fields.expiresInMs
  if (lifetime !== undefined && !(Number.isFinite(lifetime) && lifetime > 0)) return 'its lifetime is not a positive number of seconds'
  if (lifetime !== undefined && lifetime > MAX_LIFETIME_MS) return 'its lifetime is beyond a year'
  if (fields.refreshToken !== undefined && (fields.refreshToken.length > 16 * 1024 || /[\x00-\x1f\x7f]/.test(fields.refreshToken))) {
    return 'the refresh token is not a usable string'
  }
  return undefined
}

/** The lifetime core believes: the carrier's, checked by `unusableFields`, or its documented default. */
export function believedLifetime(expiresInMs: number | undefined, defaultLifetimeMs: number): number {
  return Math.min(expiresInMs ?? defaultLifetimeMs, MAX_LIFETIME_MS)
}
