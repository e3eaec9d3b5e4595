import { inspectSymbol, REDACTED } from './redaction.js'

export interface AccessTokenFields {
  accessToken: string
  tokenType?: 'Bearer'
  /** Epoch ms, by the client's clock. */
  expiresAt: number
  /** Epoch ms, by the client's clock: when the request that produced it was sent. */
  issuedAt: number
  scope?: string
  refreshToken?: string
}

/**
 * A bearer token and its lifetime. The token and refresh token live in private fields behind
 * getters, so they are readable (`token.accessToken`) but never enumerated, spread, serialised
 * or inspected: `JSON.stringify`, `String()` and `util.inspect` all show `[redacted]`.
 */
export class AccessToken {
  readonly #accessToken: string
  readonly #refreshToken: string | undefined
  /** `Bearer <token>`, built on first use: a header sent per request is one flat string, not a new one each time. */
  #header: string | undefined
  readonly tokenType = 'Bearer' as const
  readonly expiresAt: number
  readonly issuedAt: number
  readonly scope: string | undefined

  constructor(fields: AccessTokenFields) {
    this.#accessToken = fields.accessToken
    this.#refreshToken = fields.refreshToken
    this.expiresAt = fields.expiresAt
    this.issuedAt = fields.issuedAt
    this.scope = fields.scope
    Object.freeze(this)
  }

  get accessToken(): string {
    return this.#accessToken
  }

  get refreshToken(): string | undefined {
    return this.#refreshToken
  }

  /** `Bearer <token>`, the value of an Authorization header. */
  get authorizationHeader(): string {
    return (this.#header ??= `Bearer ${this.#accessToken}`)
  }

  /** Milliseconds of life left at `now`. */
  remainingMs(now: number): number {
    return this.expiresAt - now
  }

  toJSON(): Record<string, unknown> {
    return {
      tokenType: this.tokenType,
      accessToken: REDACTED,
      expiresAt: isoOf(this.expiresAt),
      issuedAt: isoOf(this.issuedAt),
      ...(this.scope !== undefined ? { scope: this.scope } : {}),
      ...(this.#refreshToken !== undefined ? { refreshToken: REDACTED } : {}),
    }
  }

  toString(): string {
    return `AccessToken(Bearer ${REDACTED}, expires ${isoOf(this.expiresAt)})`
  }

  [inspectSymbol](): string {
    return `AccessToken ${JSON.stringify(this.toJSON())}`
  }
}

/** An instant as ISO 8601; a time no Date can hold renders as such instead of throwing. */
function isoOf(epochMs: number): string {
  const date = new Date(epochMs)
  return Number.isNaN(date.getTime()) ? 'an invalid time' : date.toISOString()
}

/** The shape a token takes in a store: plain data, raw values (a store is trusted storage). */
export interface StoredToken {
  accessToken: string
  expiresAt: number
  issuedAt: number
  scope?: string
  refreshToken?: string
}

/** The plain, stable-order data of a token (an AccessToken or a stored one), for a store. */
export function toStored(token: AccessToken | StoredToken): StoredToken {
  return {
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    issuedAt: token.issuedAt,
    ...(token.scope !== undefined ? { scope: token.scope } : {}),
    ...(token.refreshToken !== undefined ? { refreshToken: token.refreshToken } : {}),
  }
}

export function fromStored(stored: StoredToken): AccessToken {
  return new AccessToken(stored)
}
