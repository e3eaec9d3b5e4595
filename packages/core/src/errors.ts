import { inspectSymbol } from './redaction.js'

export type CarrierAuthErrorCode =
  | 'invalid_credentials'
  | 'credentials_cooldown'
  | 'rate_limited'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'invalid_response'
  | 'invalid_grant'
  | 'state_mismatch'
  | 'invalid_config'
  | 'store_unavailable'

/** Codes worth another attempt: the same request may succeed later. */
const RETRYABLE: ReadonlySet<CarrierAuthErrorCode> = new Set([
  'rate_limited',
  'server_error',
  'network_error',
  'timeout',
])

export interface CarrierAuthErrorInit {
  code: CarrierAuthErrorCode
  carrier: string
  environment?: string | undefined
  status?: number | undefined
  /** The carrier's own OAuth-style error code (`invalid_client`, …), when it sent one. */
  oauthError?: string | undefined
  /** How long to wait before trying again, when the carrier or the cooldown says. */
  retryAfterMs?: number | undefined
  /** How many attempts were made before giving up. */
  attempts?: number | undefined
  /** The raw response; kept non-enumerable so logging the error never dumps it. */
  response?: Response | undefined
  /** The carrier's error body, already redacted; non-enumerable as well. */
  body?: unknown
  cause?: unknown
}

const BRAND = Symbol.for('@carrier-auth/core.CarrierAuthError')

/**
 * The one error class of every carrier package. `code` is stable and meant for branching;
 * `message` says what happened and what to do, and never holds a secret or a token (messages are
 * built by core from the code and status, never from a carrier's body).
 */
export class CarrierAuthError extends Error {
  override readonly name = 'CarrierAuthError'
  readonly code: CarrierAuthErrorCode
  readonly carrier: string
  readonly environment: string | undefined
  readonly status: number | undefined
  readonly oauthError: string | undefined
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  readonly attempts: number | undefined
  declare readonly response: Response | undefined
  declare readonly body: unknown

  constructor(message: string, init: CarrierAuthErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.code = init.code
    this.carrier = init.carrier
    this.environment = init.environment
    this.status = init.status
    this.oauthError = init.oauthError
    this.retryable = RETRYABLE.has(init.code)
    this.retryAfterMs = init.retryAfterMs
    this.attempts = init.attempts
    Object.defineProperty(this, 'response', { value: init.response, enumerable: false })
    Object.defineProperty(this, 'body', { value: init.body, enumerable: false })
    Object.defineProperty(this, BRAND, { value: true, enumerable: false })
  }

  /** True for a CarrierAuthError from any copy of this package (two installed versions included). */
  static isInstance(value: unknown): value is CarrierAuthError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      carrier: this.carrier,
      environment: this.environment,
      status: this.status,
      oauthError: this.oauthError,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
    }
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`
  }

  [inspectSymbol](): string {
    const cause = this.cause instanceof Error ? `\n  cause: ${this.cause.name}: ${this.cause.message}` : ''
    return `${this.toString()} ${JSON.stringify(this.toJSON())}${cause}\n${this.stack?.split('\n').slice(1).join('\n') ?? ''}`
  }
}
