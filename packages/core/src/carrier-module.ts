/**
 * The contract of a carrier module (`@carrier-auth/<carrier>/carrier`): what a carrier package
 * tells the conformance engine about itself beside its profile — how its emulator answers and how
 * the matrix drives it. Types only: a carrier module imports nothing at run time, so it adds no
 * code to what a user of the carrier installs, and the emulators bundle it with ajv alone. The
 * engine (HTTP server, spec validation, faults) hands a module every tool it needs in `env`.
 */

/** One answer, before the engine validates it against the spec and sends it. */
export interface EmulatorReply {
  status: number
  /** Lower-case names; `content-type` included. */
  headers: Record<string, string>
  json?: unknown
  text?: string
  /** Deliberately off-spec (a fault): sent as is, never validated. */
  offSpec?: boolean
  /** A body field left out on purpose (a fault): the rest of the answer is still validated. */
  omitted?: string
  /** A body streamed in chunks instead of held: `prefix`, `fill` bytes of `A`, `suffix`. */
  stream?: { prefix: string; fill: number; suffix: string; report?(bytesSent: number, complete: boolean): void }
  /** Destroy the socket instead of answering. */
  drop?: boolean
}

/** One request, with the parsing every carrier needs. */
export interface EmulatedRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
  /** The request's media type, lower case, without parameters. */
  readonly mediaType: string | undefined
  /** Form fields; `undefined` when the body is not form-encoded (an empty body reads as no fields). */
  form(): Record<string, string> | undefined
  /** The parsed JSON body; `undefined` when it is not JSON. */
  json(): unknown
  basic(): { user: string; password: string } | undefined
  /** The account the Basic header names, decoded as the emulator reads Basic credentials. */
  basicAccount(): string | undefined
  /** Whether every presented value equals the expected one, in constant time (false under an `invalid_credentials` fault). */
  credentialsMatch(pairs: ReadonlyArray<readonly [expected: string, presented: string | undefined]>): boolean
  /** Whether the HTTP Basic header carries this user and password (raw, or form-encoded where allowed). */
  basicMatches(user: string, password: string): boolean
  /** Counts a rejection for bad credentials. */
  failedLogin(): void
  /** Records a rule the carrier states in prose that the spec's schemas cannot express. */
  violation(problem: string): void
}

export type OperationHandler = (req: EmulatedRequest) => EmulatorReply

export interface IssuedToken {
  accessToken: string
  issuedAtMs: number
  expiresInSeconds: number
}

export type Redemption<T> = { outcome: 'redeemed'; binding: T } | { outcome: 'replayed'; binding: T } | { outcome: 'expired' | 'unknown' }

/** Single-use secrets bound to what they were issued for (authorization codes, refresh tokens). */
export interface SingleUseSecrets<T> {
  issue(binding: T): string
  redeem(secret: string): Redemption<T>
}

/** A failed-login lockout of accounts (Posti's: 5 failures lock an account for an hour). */
export interface AccountLockout {
  isLocked(account: string): boolean
  recordFailure(account: string): void
}

/** What a token endpoint answers to each mistake a request can make. */
export interface TokenEndpointAnswers {
  /** No Basic header at all, counted as a failed login (else it is `badCredentials`). */
  noClient?: EmulatorReply
  badCredentials: EmulatorReply
  /** The body is not a form, or a form client field is missing: a bad request, no failed login. */
  malformed: EmulatorReply
  missingGrantType: EmulatorReply
  unsupportedGrantType(grantType: string): EmulatorReply
}

/**
 * The usual client-credentials token endpoint, as data: where the client travels, what each
 * mistake is answered with, and the success body. The engine runs the checks in one order for
 * every carrier (`requestFirst`: the request's shape is judged before the client, as DHL does).
 */
export interface TokenEndpointRules<Credentials> {
  /** `basic`: the id and secret fields of an HTTP Basic header; `form`: form field → credential field. */
  client: { basic: readonly [id: keyof Credentials & string, secret: keyof Credentials & string] } | { form: Readonly<Record<string, keyof Credentials & string>> }
  /** The request's shape is judged before its client (wrong credentials in a bad request are a bad request). */
  requestFirst?: boolean
  /** `grant_type` may come in the query instead of the form body (Posti); no form body is then required. */
  grantTypeInQuery?: boolean
  /** The carrier's documented lockout (the spec's facts) applies to the Basic account. */
  lockout?: boolean
  /**
   * The answers to each mistake. Any left out is the RFC 6749 §5.2 answer (`invalid_client` 401,
   * `invalid_request` 400, `unsupported_grant_type` 400) in `errorBody`'s shape, with the engine's
   * wording: for carriers whose docs word no errors of their own (an assumption; say so in the spec).
   */
  answers?: Partial<TokenEndpointAnswers>
  /** The carrier's error body for the RFC 6749 answers (default: the RFC's own JSON body). */
  errorBody?(status: number, code: string, description: string): EmulatorReply
  /** Form fields the carrier requires beside `grant_type`, with their one accepted value. */
  requiredFields?: Readonly<Record<string, { value: string; missing: EmulatorReply; wrong: EmulatorReply }>>
  /** Headers checked against a credential when present (an optional merchant id), and the answer to a wrong one. */
  checkedHeaders?: Readonly<Record<string, { credential: keyof Credentials & string; wrong: EmulatorReply }>>
  success(token: IssuedToken, credentials: Readonly<Credentials>): EmulatorReply
}

/** What a carrier's emulator may use of the engine it runs in. */
export interface EmulatorEnv<Credentials> {
  readonly credentials: Readonly<Credentials>
  readonly clock: { now(): number }
  /** Counters the carrier keeps itself (PostFinance's refresh-token uses and replays). */
  readonly stats: { refreshTokenUses: number; refreshTokenReplays: number }
  /** The redirect URIs the user registered (authorization-code carriers); `undefined`: loopback ones. */
  readonly redirectUris: readonly string[] | undefined
  /** The carrier's documented facts, from its spec. */
  readonly facts: { lockout?: { maxFailedLogins: number; durationSeconds: number }; authorizationCodeLifetimeSeconds?: number }
  /** Mints an access token with the emulator's lifetime and records it for the resource endpoint. */
  issue(): IssuedToken
  /** Records a secret the emulator handed out (refresh tokens, codes), for leak checks. */
  remember(secret: string): void
  /** Absolute URL of a spec operation on this emulator. */
  urlOf(operationId: string): string
  /** 32 url-safe random characters. */
  mintToken(): string
  singleUse<T>(ttlMs: number): SingleUseSecrets<T>
  lockout(maxFailures: number, periodMs: number): AccountLockout
  json(status: number, body: unknown, contentType?: string, headers?: Record<string, string>): EmulatorReply
  text(status: number, text: string, contentType: string, headers?: Record<string, string>): EmulatorReply
  empty(status: number, headers?: Record<string, string>): EmulatorReply
  /** RFC 6749 §5.2's `{ error, error_description }`. */
  oauthError(status: number, error: string, description: string, contentType?: string): EmulatorReply
  /** The usual client-credentials endpoint, from its rules. */
  tokenEndpoint(rules: TokenEndpointRules<Credentials>): CarrierEmulation
}

/** A running carrier: its handlers, keyed by the spec's operationId, and its carrier-only state. */
export interface CarrierEmulation {
  readonly operations: { readonly requestAccessToken: OperationHandler } & Readonly<Record<string, OperationHandler>>
  isLocked?(): boolean
  authorize?(params: { redirectUri: string; scope?: string; state?: string }): Promise<{ code: string; state: string }>
}

export interface EmulatorDefinition<Credentials> {
  /** Success body fields the `missing_access_token` and `missing_expires_in` faults remove (default `access_token`, `expires_in`). */
  readonly accessTokenField?: string
  readonly lifetimeField?: string
  /** Compresses answers when the client accepts gzip, as the carrier's doc shows. */
  readonly gzip?: boolean
  /** A valid account; `mint` gives 32 letters and digits, like the credentials in the docs' samples. */
  createCredentials(mint: () => string): Credentials
  create(env: EmulatorEnv<Credentials>): CarrierEmulation
}

/** How the conformance matrix drives the carrier package (its factory and profile come from the package). */
export interface MatrixEntry<Credentials> {
  /** The credential field that is the secret (the one a wrong-credentials scenario changes). */
  readonly secretField: keyof Credentials & string
  /** Refresh-token rotation (authorization-code grant). */
  readonly rotatesRefreshTokens: boolean
  /** `--live` and the CLI: credential field (or `baseUrl`) → environment variable, and the environment to use. */
  readonly live: { readonly environment: string; readonly variables: Readonly<Partial<Record<(keyof Credentials & string) | 'baseUrl', string>>> }
}

/** A carrier module: `export const carrier = { name, emulator, matrix } satisfies CarrierModule<Credentials>`. */
export interface CarrierModule<Credentials> {
  /** The carrier's one-word name: folder, package suffix, spec file, matrix column. */
  readonly name: string
  readonly emulator: EmulatorDefinition<Credentials>
  readonly matrix: MatrixEntry<Credentials>
}
