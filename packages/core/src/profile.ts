import type { Client } from 'openapi-fetch'
import type { CarrierAuthErrorCode } from './errors.js'

/** What a token request asks for. */
export type Grant =
  | { type: 'client_credentials' }
  | { type: 'refresh_token'; refreshToken: string; /** The scope the pair was authorized for. */ scope?: string | undefined }
  | { type: 'authorization_code'; code: string; redirectUri: string; /** The scope the customer authorized. */ scope?: string | undefined }

/** The raw outcome of an openapi-fetch call, as a profile returns it. */
export interface TokenCall {
  data?: unknown
  error?: unknown
  response: Response
}

/** The token fields a carrier's success body carries, before core turns them into an AccessToken. */
export interface TokenFields {
  accessToken: string
  /** Lifetime in ms, as the carrier states it; undefined when the body omits it. */
  expiresInMs?: number | undefined
  /** When the carrier says it issued the token, by the carrier's clock (Pitney Bowes' `issuedAt`). */
  serverIssuedAt?: number | undefined
  scope?: string | undefined
  refreshToken?: string | undefined
}

/** What a carrier's credentials reveal to core: an identity for the cache key, never stored. */
export interface CredentialIdentity {
  clientId: string
  secret: string
  scope?: string | undefined
}

/** Policy a carrier documents (or that its behaviour forces). Users may tighten, never loosen, the floors. */
export interface CarrierPolicy {
  /** Lifetime to assume when the success body has none (the carrier's documented default). */
  defaultLifetimeMs: number
  /** Default refresh-ahead window. */
  refreshAheadMs: number
  /** Default and minimum wait after rejected credentials before trying the network again. */
  credentialsCooldownMs: number
  /**
   * The carrier locks an account after `failures` failed logins within `windowMs` (Posti: 5 in
   * an hour). Core then never lets `failures` failed or unanswered logins of one account happen
   * in any such window, across everything that shares the ledger.
   */
  lockout?: { failures: number; windowMs: number } | undefined
}

/**
 * One carrier, described for core: where its token endpoint lives, how a request is made with
 * openapi-fetch on its generated `paths`, how its answers read. Nothing here caches, waits or
 * retries; core does.
 */
export interface CarrierProfile<Paths extends {}, Credentials, Env extends string> {
  /** The carrier's one-word name (`posti`, `pitney-bowes`, …). */
  carrier: string
  /** A human name for messages. */
  displayName: string
  /** Base URLs per environment; `null` where the carrier publishes no host (baseUrl required). */
  environments: Record<Env, string | null>
  /** Credential fields that must be non-empty strings, in the carrier's own names. */
  requiredCredentials: readonly (keyof Credentials & string)[]
  /** Credential fields that may be given (strings when present) and reach the profile as given. */
  optionalCredentials?: readonly (keyof Credentials & string)[]
  /** Error codes the carrier documents in its `error` field, beside RFC 6749's; others stay out of messages. */
  errorCodes?: readonly string[]
  /** Credentials with defaults filled in (Packly's `scope: 'external'`). */
  withDefaults?(credentials: Credentials): Credentials
  identity(credentials: Credentials): CredentialIdentity
  /** The grants this carrier accepts. */
  grants: readonly Grant['type'][]
  /** The authorization endpoint's path (authorization-code grant), relative to the base URL. */
  authorizePath?: string
  /** Makes the token request. `signal` must be passed to openapi-fetch. */
  requestToken(client: Client<Paths>, credentials: Credentials, grant: Grant, signal: AbortSignal): Promise<TokenCall>
  /** Reads a success body; `undefined` when it is not a usable token answer. */
  readToken(body: unknown): TokenFields | undefined
  /**
   * Classifies a non-2xx answer the generic rules would misread (DHL answers bad credentials
   * with a 400 problem+json). Return undefined to fall back to the generic rules.
   */
  classifyError?(status: number, body: unknown): CarrierAuthErrorCode | undefined
  policy: CarrierPolicy
}

/** Identity helper so a profile's generic parameters are inferred. */
export function defineProfile<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
): CarrierProfile<Paths, Credentials, Env> {
  return profile
}

/** openapi-fetch body serializer for `application/x-www-form-urlencoded` token requests. */
export function formUrlEncoded(body: unknown): URLSearchParams {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v !== undefined && v !== null) params.set(k, String(v))
  }
  return params
}

/** `Basic base64(user:password)`, UTF-8 safe, with no `node:` Buffer. */
export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return `Basic ${btoa(binary)}`
}

/**
 * Reads a number that may arrive as a JSON number or a numeric string (Pitney Bowes): undefined
 * when absent, NaN when present but not a number (so a lifetime of `"-5"` or `"soon"` is refused,
 * never mistaken for a missing one).
 */
export function readNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return value
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value)
  return Number.NaN
}

/** Reads the common OAuth 2.0 token body: `access_token`, `expires_in` (seconds), optional scope/refresh. */
export function readOAuthToken(body: unknown): TokenFields | undefined {
  if (!body || typeof body !== 'object') return undefined
  const b = body as Record<string, unknown>
  if (typeof b.access_token !== 'string' || b.access_token.length === 0) return undefined
  if (b.token_type !== undefined && (typeof b.token_type !== 'string' || !/^bearer(token)?$/i.test(b.token_type))) {
    return undefined
  }
  const expiresIn = readNumber(b.expires_in)
  return {
    accessToken: b.access_token,
    expiresInMs: expiresIn === undefined ? undefined : expiresIn * 1000,
    scope: typeof b.scope === 'string' ? b.scope : undefined,
    refreshToken: typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : undefined,
  }
}

/**
 * The openapi-fetch options of a form-encoded token request, optionally with HTTP Basic client
 * authentication: what most carriers' token endpoints take. The body keeps its generated type.
 */
export function formRequest<Body>(init: {
  body: Body
  basic?: readonly [user: string, password: string]
  headers?: Record<string, string>
  contentType?: string
  signal: AbortSignal
}) {
  return {
    headers: {
      'Content-Type': init.contentType ?? 'application/x-www-form-urlencoded',
      ...(init.basic ? { Authorization: basicAuthorization(init.basic[0], init.basic[1]) } : {}),
      ...init.headers,
    },
    body: init.body,
    bodySerializer: formUrlEncoded,
    signal: init.signal,
  }
}
