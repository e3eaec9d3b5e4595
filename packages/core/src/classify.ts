import type { CarrierAuthErrorCode } from './errors.js'

/** The carrier's OAuth-style `error` code, when the body has one that looks like a code. */
export function oauthErrorOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const error = (body as Record<string, unknown>).error
  return typeof error === 'string' && /^[a-z_]{1,64}$/i.test(error) ? error : undefined
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
