import type { CarrierCredentials } from '../generated/carrier-modules.js'

/** The carriers, one a carrier package (the generated registry of carrier modules). */
export type CarrierName = keyof CarrierCredentials

/** Valid credentials, in the shape each carrier package's factory takes them. */
export type EmulatorCredentials = CarrierCredentials

/** `times` defaults to 1. Faults queue FIFO and apply to token-endpoint requests only. */
export type Fault =
  | { type: 'server_error'; times?: number; status?: number }
  | { type: 'rate_limited'; times?: number; retryAfterSeconds?: number; retryAfterAsDate?: boolean }
  | { type: 'malformed_json'; times?: number }
  | { type: 'html_error_page'; times?: number; status?: number }
  | { type: 'missing_access_token'; times?: number }
  | { type: 'missing_expires_in'; times?: number }
  | { type: 'drop_connection'; times?: number }
  | { type: 'slow'; delayMs: number; times?: number }
  | { type: 'invalid_credentials'; times?: number }
  /** A 307 or 308 to the emulator's second origin (`redirectTargetUrl`), which counts what reaches it. */
  | { type: 'redirect'; status: 307 | 308; times?: number }
  /** A success answer with a token that cannot go into a header, or an insane lifetime. */
  | { type: 'hostile_token'; variant: HostileTokenVariant; times?: number }
  /** A carrier-shaped 200 of `bytes` (default 50 MB), streamed; `stats.oversizedBodies` says how far it got. */
  | { type: 'oversized_body'; bytes?: number; times?: number }
  /** Wrong credentials, counted as a failed login at receipt (Posti's lockout too), answered after `delayMs`. */
  | { type: 'slow_rejection'; delayMs: number; times?: number }

export type HostileTokenVariant = 'crlf' | 'non_latin1' | 'negative_lifetime' | 'zero_lifetime' | 'string_lifetime' | 'huge_lifetime'

export interface Clock {
  now(): number
}

/**
 * How the emulator reads HTTP Basic credentials: `raw` (`base64(id:secret)`, as the carriers' docs
 * describe), or `raw-or-form-encoded` (also RFC 6749 §2.3.1: each part form-urlencoded first).
 */
export type BasicCredentialsMode = 'raw' | 'raw-or-form-encoded'

export interface EmulatorOptions<C extends CarrierName = CarrierName> {
  /**
   * Defaults to the spec's `x-carrier-auth-facts.basicCredentials`: `raw-or-form-encoded` for the
   * carriers that claim standard OAuth 2.0 (Posti, Packly; an assumption, labelled there), else `raw`.
   */
  basicCredentials?: BasicCredentialsMode
  /** Lifetime of issued access tokens; defaults to the carrier's documented one. */
  tokenTtlSeconds?: number
  /** Defaults to 0 (ephemeral). The host is always 127.0.0.1. */
  port?: number
  credentials?: Partial<EmulatorCredentials[C]>
  /** Drives issuedAt, token expiry, Posti's lockout and PostFinance's code expiry. */
  clock?: Clock
  /**
   * Hears of every answer: method, path (never the query), status (0 for a dropped connection) and
   * the request violations it left. `carrier-auth emulate` prints one line per call.
   */
  onRequest?(entry: EmulatorRequestLog): void
  /** PostFinance: the registered redirect URIs (default: any http://127.0.0.1 or http://localhost URI). */
  redirectUris?: string[]
}

export interface EmulatorRequestLog {
  method: string
  path: string
  status: number
  violations: readonly string[]
}

export interface EmulatorStats {
  /** Every request to the token endpoint path, whatever its outcome (faults included). */
  tokenRequests: number
  /** Requests rejected for bad credentials, including those rejected while locked. */
  failedLogins: number
  /** PostFinance: refresh_token grants received. */
  refreshTokenUses: number
  /** PostFinance: times an already used refresh token was presented again. */
  refreshTokenReplays: number
  resourceRequests: number
  /** Requests that reached the redirect target (the second origin of a `redirect` fault). */
  redirectTargetRequests: number
  /**
   * Each `oversized_body` answer: bytes written before the client stopped reading, whether all
   * were, and whether the answer is over (written to the end, or the client hung up).
   */
  oversizedBodies: Array<{ bytesSent: number; complete: boolean; finished: boolean }>
}

export interface AuthorizeParams {
  redirectUri: string
  scope?: string
  state?: string
}

export interface Emulator<C extends CarrierName = CarrierName> {
  readonly carrier: C
  /** Base URL for the carrier factory's `baseUrl`: `${url}${tokenPath}` is the token endpoint. */
  readonly url: string
  readonly tokenUrl: string
  /** The second loopback origin `redirect` faults point to (it answers like the emulator). */
  readonly redirectTargetUrl: string
  /** GET with `Authorization: Bearer <token>`: 200 for a live token this emulator issued, else 401. */
  readonly resourceUrl: string
  readonly credentials: Readonly<EmulatorCredentials[C]>
  /** Live: updated in place as requests arrive. */
  readonly stats: EmulatorStats
  readonly issuedTokens: readonly string[]
  /** Every secret it handed out: access tokens, and PostFinance's refresh tokens and codes. */
  readonly issuedSecrets: readonly string[]
  readonly requestViolations: readonly string[]
  /** Must stay empty: responses that broke the spec (intentionally off-spec faults are not checked). */
  readonly responseViolations: readonly string[]
  inject(fault: Fault): void
  /** Every access token issued so far is refused by the resource from now on. */
  revokeAccessTokens(): void
  /** Posti: whether the emulator's account is locked out; always false elsewhere. */
  isLocked(): boolean
  /**
   * PostFinance only: performs `GET /auth/authorize` as if the user logged in and consented, and
   * returns what the redirect carried.
   */
  authorize?(params: AuthorizeParams): Promise<{ code: string; state: string }>
  close(): Promise<void>
}
