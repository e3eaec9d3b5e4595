import type { CarrierAuthErrorCode } from './errors.js'

/** What a message may mention: never a body, a header, a token or a secret. */
export interface MessageFacts {
  carrier: string
  environment: string | undefined
  host: string
  status?: number | undefined
  attempts?: number | undefined
  retryAfterMs?: number | undefined
  cooldownUntil?: number | undefined
  /** How long the credentials cooldown lasts. */
  cooldownMs?: number | undefined
  timeoutMs?: number | undefined
  credentialNames?: readonly string[] | undefined
  oauthError?: string | undefined
  detail?: string | undefined
  /** Why a cooldown holds: this secret was rejected, or the account's failure budget is spent. */
  cooldownKind?: 'same_secret' | 'budget' | undefined
  /** Why a refresh token is gone: the carrier refused it, or its answer was lost in transit. */
  grantLoss?: 'refused' | 'lost_answer' | 'not_connected' | undefined
  /** No refresh was sent because the store lost the pair this process had read from it. */
  storeLost?: boolean | undefined
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`
const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : seconds(ms))
const at = (epochMs: number) => new Date(epochMs).toISOString()
const attemptsText = (n: number | undefined) => (n && n > 1 ? ` after ${n} attempts` : '')

/** One sentence of what happened and one of what to do, per code. */
export function messageFor(code: CarrierAuthErrorCode, f: MessageFacts): string {
  const where = `${f.carrier} token endpoint (${f.host}${f.environment ? `, ${f.environment}` : ''})`
  const status = f.status === undefined ? '' : `HTTP ${f.status}${f.oauthError ? ` ${f.oauthError}` : ''}`
  switch (code) {
    case 'invalid_credentials':
      return `The ${where} rejected the credentials (${status}). Check ${
        f.credentialNames?.join(' and ') ?? 'the credentials'
      } for this environment; to protect the account from a lockout, these credentials are not sent again for ${minutes(f.cooldownMs ?? 0)} (corrected ones are tried at once).`
    case 'credentials_cooldown':
      return f.cooldownKind === 'budget'
        ? `Not contacting the ${where}: this account's failed or unanswered logins have used up its budget, and one more could lock it. The next attempt is allowed after ${at(
            f.cooldownUntil ?? 0,
          )}.`
        : `Not contacting the ${where}: these credentials were rejected recently, and a cooldown protects the account from being locked. Fix the credentials (new ones are tried at once); these are not sent again before ${at(
            f.cooldownUntil ?? 0,
          )}.`
    case 'rate_limited':
      return `The ${where} is rate limiting token requests (${status})${attemptsText(f.attempts)}. Retry after ${seconds(
        f.retryAfterMs ?? 0,
      )}; share one provider (or one store) between callers so that tokens are reused.`
    case 'server_error':
      return `The ${where} failed (${status})${attemptsText(f.attempts)}. This is usually a transient outage on the carrier's side; try again later.`
    case 'network_error':
      return `Could not reach the ${where}${attemptsText(f.attempts)}${f.detail ? ` (${f.detail})` : ''}. Check the network, DNS and the environment or baseUrl.`
    case 'timeout':
      return `The ${where} did not answer within ${f.timeoutMs ?? 0} ms${attemptsText(f.attempts)}. Check the network, or raise timeoutMs.`
    case 'invalid_response':
      return `The ${where} answered${status ? ` ${status}` : ''} with something that is not a token: ${f.detail ?? 'unreadable body'}. Check that the environment or baseUrl points at the token endpoint.`
    case 'invalid_grant':
      if (f.grantLoss === 'not_connected') {
        return `No ${f.carrier} refresh token is stored for this account: connect it first (authorizeUrl, then exchangeCode).`
      }
      if (f.grantLoss === 'lost_answer') {
        return `The answer of the ${where} to a refresh was lost in transit${f.detail ? ` (${f.detail})` : ''}; the refresh token it used is spent and is never sent again. The customer must authorize the application again.`
      }
      return `The ${where} refused the refresh token or authorization code${status ? ` (${status})` : ''}. The customer must authorize the application again.`
    case 'store_unavailable':
      if (f.storeLost) {
        return `Not refreshing at the ${where}: the store no longer holds this account's pair (it lost its data, e.g. a Redis restarted empty), and the refresh token in this process's memory may already have been rotated by another process. Nothing was sent; a process whose write of a rotated pair never landed writes it back at its next refresh, otherwise connect the account again.`
      }
      return `Not refreshing at the ${where}: the store's lock could not be taken${f.detail ? ` (${f.detail})` : ''}, and a single-use refresh token is only sent under it. The stored pair is kept; try again when the store is back.`
    case 'state_mismatch':
      return `The authorization answer's state does not match the one this application sent; the answer was rejected before any request. Start the authorization again.`
    case 'invalid_config':
      return `The ${where} refused the request as configured (${status})${f.detail ? `: ${f.detail}` : ''}. Check the scope, the grant and the environment.`
  }
}
