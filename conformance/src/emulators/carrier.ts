import type { IncomingHttpHeaders } from 'node:http'
import type { Reply } from './reply.js'
import type { IssuedToken } from './tokens.js'
import type { AuthorizeParams, CarrierName, Clock, EmulatorCredentials, EmulatorOptions, EmulatorStats } from './types.js'
import type { BasicCredentials } from './wire.js'

/** What a carrier's wire format may use of the emulator it runs in. */
export interface CarrierEnv<C extends CarrierName> {
  readonly credentials: Readonly<EmulatorCredentials[C]>
  readonly clock: Clock
  readonly stats: EmulatorStats
  readonly options: EmulatorOptions<C>
  /** Mints an access token with the emulator's lifetime and records it for the resource endpoint. */
  issue(): IssuedToken
  /** Records a secret the emulator handed out (refresh tokens, codes), for leak checks. */
  remember(secret: string): void
  /** Absolute URL of a spec operation on this emulator. */
  urlOf(operationId: string): string
}

/** One request, with the parsing every carrier needs. */
export interface EmulatorRequest {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** The request's media type, lower case, without parameters. */
  readonly mediaType: string | undefined
  /** Form fields; `undefined` when the body is not form-encoded (an empty body reads as no fields). */
  form(): Record<string, string> | undefined
  /** The parsed JSON body; `undefined` when it is not JSON. */
  json(): unknown
  basic(): BasicCredentials | undefined
  /** The account the Basic header names, decoded as the emulator reads Basic credentials. */
  basicAccount(): string | undefined
  /**
   * Whether every presented value equals the expected one, compared in constant time. Always false
   * while an `invalid_credentials` fault is being applied.
   */
  credentialsMatch(pairs: ReadonlyArray<readonly [expected: string, presented: string | undefined]>): boolean
  /**
   * Whether the HTTP Basic header carries this user and password (as `credentialsMatch`): raw, or
   * also RFC 6749 §2.3.1 form-encoded where the emulator's `basicCredentials` says so.
   */
  basicMatches(user: string, password: string): boolean
  /** Counts a rejection for bad credentials. */
  failedLogin(): void
  /** Records a rule the carrier states in prose that the spec's schemas cannot express. */
  violation(problem: string): void
}

export type OperationHandler = (req: EmulatorRequest) => Reply

/** A running carrier: its handlers, keyed by the spec's operationId, and its carrier-only state. */
export interface CarrierEmulation {
  readonly operations: { readonly requestAccessToken: OperationHandler } & Readonly<Record<string, OperationHandler>>
  isLocked?(): boolean
  authorize?(params: AuthorizeParams): Promise<{ code: string; state: string }>
}

export interface CarrierDefinition<C extends CarrierName> {
  readonly carrier: C
  /** Success body fields the `missing_access_token` and `missing_expires_in` faults remove. */
  readonly accessTokenField: string
  readonly lifetimeField: string
  /** Compresses answers when the client accepts gzip, as the carrier's doc shows. */
  readonly gzip?: boolean
  createCredentials(): EmulatorCredentials[C]
  create(env: CarrierEnv<C>): CarrierEmulation
}
