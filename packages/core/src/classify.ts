import type { CarrierAuthErrorCode } from './errors.js'

/** The error codes of RFC 6749 §5.2: the only server `error` values core repeats by default. */
export const OAUTH_ERROR_CODES: readonly string[] = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]

/**
 * The carrier's OAuth-style `error` code, when it is one a message may repeat: an RFC 6749
 * code or one the carrier documents. Anything else a server writes there stays out of messages
 * (a hostile or broken server could echo a secret into it).
 */
export function oauthErrorOf(body: unknown, documented: readonly string[] = []): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const error = (body as Record<string, unknown>).error
  if (typeof error !== 'string') return undefined
  return OAUTH_ERROR_CODES.includes(error) || documented.includes(error) ? error : undefined
}

/**
 * Generic rules for a non-2xx token answer, used when the carrier's profile has no opinion:
 * 429 → rate_limited; 5xx → server_error; `invalid_grant` → invalid_grant; 401/403 or an OAuth
 * `invalid_client` → invalid_credentials; any other 4xx is a request the carrier refuses as
 * configured (scope, grant, environment) → invalid_config.
 */
export function classifyStatus(status: number, body: unknown): CarrierAuthErrorCode {
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server_error'
  const oauthError = oauthErrorOf(body)
  if (oauthError === 'invalid_grant') return 'invalid_grant'
  if (status === 401 || status === 403 || oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
    return 'invalid_credentials'
  }
  if (status >= 400) return 'invalid_config'
  return 'invalid_response'
}
