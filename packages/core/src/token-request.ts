import type { AccessToken } from './access-token.js'
import type { CacheKeys } from './cache-key.js'
import type { CacheEnv } from './cache-env.js'
import { authError, withAttempts } from './error-factory.js'
import { CarrierAuthError } from './errors.js'
import type { RequestReason } from './events.js'
import { admit, type AttemptOutcome, LedgerRefusal } from './ledger.js'
import { datedToken } from './lifetime.js'
import type { Grant } from './profile.js'
import { retrying, StopRetrying } from './retry.js'

/** Network error codes that prove a request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL'])

function codeIn(error: unknown): string | undefined {
  let e: unknown = error
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * What an attempt that failed tells the ledger: a rejection; an answer that was no failed login;
 * no answer after the request may have arrived (a timeout, a dropped connection); or proof that
 * it never left (connection refused, DNS).
 */
export function outcomeOf(error: unknown): AttemptOutcome {
  if (!CarrierAuthError.isInstance(error)) return 'unknown'
  if (error.code === 'invalid_credentials') return 'rejected'
  if (error.code === 'timeout') return 'unknown'
  if (error.code === 'network_error') return NOT_SENT.has(codeIn(error.cause) ?? '') ? 'not_sent' : 'unknown'
  if (error.status !== undefined && (error.status < 300 || error.status >= 400)) return 'answered'
  return 'unknown'
}

export interface Fetched {
  token: AccessToken
  attempts: number
  durationMs: number
}

/**
 * Requests a token for `grant`: every attempt passes the account ledger first and reports its
 * outcome to it; retries with backoff, Retry-After and the deadline. A refresh whose answer may
 * have arrived is never sent again (the carrier may have spent its refresh token).
 */
export function createTokenRequester(env: CacheEnv) {
  const { config } = env
  const { clock } = config
  let warnedVolatile = false

  function refusal(refused: LedgerRefusal) {
    const now = clock.now()
    return authError(env.site, 'credentials_cooldown', {
      cooldownUntil: refused.until,
      cooldownKind: refused.kind,
      retryAfterMs: Math.max(0, refused.until - now),
      // Nothing was sent.
      attempts: 0,
    })
  }

  async function attemptOnce(keys: CacheKeys, grant: Grant, reason: RequestReason, n: number, remainingMs: number, last: { error?: CarrierAuthError }) {
    env.event({ type: 'token_requested', reason, attempt: n })
    let permit
    try {
      permit = await admit({
        account: keys.account,
        tag: keys.secretTag,
        policy: config.ledger,
        store: config.store,
        now: () => clock.now(),
        onStoreError: (operation, error) => env.event({ type: 'store_unavailable', operation, error }),
        turnWaitMs: config.joinBoundMs,
      })
    } catch (error) {
      if (!(error instanceof LedgerRefusal)) throw error
      // A retry the account's budget does not allow: the run ends with what the last attempt met.
      if (last.error) throw new StopRetrying(withAttempts(last.error, n - 1))
      throw new StopRetrying(refusal(error))
    }
    const sentAt = clock.now()
    try {
      const answer = await config.request(grant, remainingMs)
      await permit.settle('accepted')
      const token = datedToken(answer.fields, sentAt, answer.serverDate, config.defaultLifetimeMs)
      if (token.expiresAt <= clock.now()) throw authError(env.site, 'invalid_response', { detail: 'the token it issued has already expired' })
      return token
    } catch (error) {
      await permit.settle(outcomeOf(error))
      if (CarrierAuthError.isInstance(error)) {
        last.error = error
        if (error.code === 'invalid_credentials') credentialsRejected(error)
      }
      throw error
    }
  }

  function credentialsRejected(error: CarrierAuthError) {
    env.event({ type: 'credentials_rejected', status: error.status, cooldownUntil: clock.now() + config.ledger.cooldownMs })
    if (config.store.persistent === false && !warnedVolatile) {
      warnedVolatile = true
      // A ledger kept in memory only is forgotten by a restart: a crash loop can resend this secret.
      env.event({ type: 'ledger_volatile', cooldownUntil: clock.now() + config.ledger.cooldownMs })
    }
  }

  return async function fetchToken(keys: CacheKeys, grant: Grant, reason: RequestReason, background: boolean): Promise<Fetched> {
    const started = clock.now()
    const last: { error?: CarrierAuthError } = {}
    const { value, attempts } = await retrying({
      retry: config.retry,
      now: () => clock.now(),
      sleep: (ms) => env.sleep(ms, background),
      attempt: (n, remainingMs) => attemptOnce(keys, grant, reason, n, remainingMs, last),
      mayRetry: (error) => grant.type !== 'refresh_token' || outcomeOf(error) === 'not_sent' || outcomeOf(error) === 'answered',
      onRetry: (attempt, delayMs, error) => env.event({ type: 'retry_scheduled', attempt, delayMs, code: error.code, status: error.status }),
    })
    return { token: value, attempts, durationMs: clock.now() - started }
  }
}

export type TokenRequester = ReturnType<typeof createTokenRequester>
