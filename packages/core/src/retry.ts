import { withAttempts } from './error-factory.js'
import { CarrierAuthError } from './errors.js'

/** Retry policy for transient failures (5xx, network errors, timeouts, 429). */
export interface RetryOptions {
  /** Attempts in total, the first included. Default 4. */
  maxAttempts?: number
  /** First backoff ceiling. Default 250 ms. */
  baseDelayMs?: number
  /** Largest backoff ceiling. Default 10 s. */
  maxDelayMs?: number
  /** Total time one acquisition may take, waits included. Default 30 s. */
  deadlineMs?: number
  /** Source of randomness for jitter, in [0, 1). Injectable for tests. */
  random?: () => number
}

export type ResolvedRetry = Required<RetryOptions>

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  return {
    maxAttempts: Math.max(1, options?.maxAttempts ?? 4),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? 10_000),
    deadlineMs: Math.max(1, options?.deadlineMs ?? 30_000),
    random: options?.random ?? Math.random,
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(attempt-1))]. */
export function backoffDelay(attempt: number, retry: ResolvedRetry): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(retry.random() * ceiling)
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns milliseconds to wait from `now`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = httpDate(trimmed)
  if (date === undefined) return undefined
  return Math.max(0, date - now)
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const TIME = '\\d{2}:\\d{2}:\\d{2}'
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`)
const RFC_850 = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`)
const ASCTIME = new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`)

/**
 * The three HTTP-date forms (RFC 9110 §5.6.7), and nothing else: `Date.parse` alone reads almost
 * any text as some date ("in 5" is May 2001), which would turn a header it cannot read into a
 * retry at once. asctime carries no zone and is UTC.
 */
function httpDate(text: string): number | undefined {
  if (IMF_FIXDATE.test(text) || RFC_850.test(text)) return Date.parse(text)
  if (ASCTIME.test(text)) return Date.parse(`${text} GMT`)
  return undefined
}

/** Thrown by an attempt to end the retries with `error` as it is (no further attempt may go out). */
export class StopRetrying {
  constructor(readonly error: unknown) {}
}

export interface RetryRun<T> {
  retry: ResolvedRetry
  now(): number
  sleep(ms: number): Promise<void>
  /** One attempt, with what is left of the total deadline. */
  attempt(n: number, remainingMs: number): Promise<T>
  /** Whether a retryable error may still be retried (rotation never resends an unanswered refresh). */
  mayRetry?(error: CarrierAuthError): boolean
  onRetry?(n: number, delayMs: number, error: CarrierAuthError): void
}

/**
 * Runs attempts until one succeeds, an error is not retryable, the attempts run out or the next
 * wait would pass the deadline. Backoff is exponential with full jitter; a 429's Retry-After
 * replaces it. The error that ends the run is made again with its attempt count.
 */
export async function retrying<T>(run: RetryRun<T>): Promise<{ value: T; attempts: number }> {
  const { retry } = run
  const deadline = run.now() + retry.deadlineMs
  for (let n = 1; ; n++) {
    try {
      return { value: await run.attempt(n, deadline - run.now()), attempts: n }
    } catch (caught) {
      if (caught instanceof StopRetrying) throw caught.error
      if (!CarrierAuthError.isInstance(caught)) throw caught
      const final = () => withAttempts(caught, n)
      if (!caught.retryable || n >= retry.maxAttempts || run.mayRetry?.(caught) === false) throw final()
      const delayMs = caught.code === 'rate_limited' && caught.retryAfterMs !== undefined ? caught.retryAfterMs : backoffDelay(n, retry)
      if (run.now() + delayMs >= deadline) throw final()
      run.onRetry?.(n, delayMs, caught)
      await run.sleep(delayMs)
    }
  }
}
