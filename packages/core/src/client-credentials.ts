import type { Client } from 'openapi-fetch'
import { type CarrierProfile, formRequest, readOAuthToken, type TokenCall } from './profile.js'

/** A value from the credentials: a field name, or a function of them. `undefined` leaves it out. */
type FromCredentials<Credentials> = (credentials: Credentials) => Record<string, string | undefined>

/**
 * How the client id and secret travel, the three shapes carriers use:
 * - `basic`: an HTTP Basic header, with a form body (Posti, Pitney Bowes, Packly);
 * - `form`: as form fields, `client_id` and `client_secret` unless named otherwise (DHL eCommerce);
 * - `json`: as fields of a JSON body (PostFinance's shape).
 */
export type ClientAuthentication = 'basic' | 'form' | 'json'

/** A client-credentials profile: what differs from carrier to carrier, and nothing else. */
export interface ClientCredentialsProfile<Paths extends {}, Credentials, Env extends string>
  extends Omit<CarrierProfile<Paths, Credentials, Env>, 'requestToken' | 'readToken' | 'identity' | 'grants' | 'requiredCredentials'> {
  /** The token endpoint's path in the spec. */
  path: keyof Paths & string
  /** The credential fields that are the client id and the secret (both required). */
  id: keyof Credentials & string
  secret: keyof Credentials & string
  /** A credential field that is the scope (cache key and request), where the carrier has one. */
  scope?: keyof Credentials & string
  send: ClientAuthentication
  /** Body field names for the id and secret with `form` and `json` (default `client_id`, `client_secret`). */
  fieldNames?: { id: string; secret: string }
  /** Body fields beside `grant_type` (a scope, a fixed value); `undefined` ones are left out. */
  body?: FromCredentials<Credentials>
  /**
   * Extra request headers, fixed (`Accept`) or from optional credentials (a merchant id); a header
   * whose value is `undefined` is not sent.
   */
  headers?: FromCredentials<Credentials>
  /** The form body's Content-Type, where the carrier's doc gives it with parameters. */
  contentType?: string
  /** The other credential fields the carrier requires, beside the id and secret. */
  requiredCredentials?: readonly (keyof Credentials & string)[]
  readToken?: CarrierProfile<Paths, Credentials, Env>['readToken']
}

const defined = (fields: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined))

/**
 * A carrier that takes the client-credentials grant in one of the common shapes, as a profile. A
 * standard carrier is then its environments, its policy and a few words on the wire:
 * `clientCredentials({ path: '/oauth/token', id: 'username', secret: 'password', send: 'basic', … })`.
 */
export function clientCredentials<Paths extends {}, Credentials, Env extends string>(
  init: ClientCredentialsProfile<Paths, Credentials, Env>,
): CarrierProfile<Paths, Credentials, Env> {
  const { path, id, secret, scope, send, fieldNames, body, headers, contentType, requiredCredentials, readToken, ...rest } = init
  const names = fieldNames ?? { id: 'client_id', secret: 'client_secret' }
  const read = (c: Credentials, field: keyof Credentials & string) => (c as Record<string, unknown>)[field] as string
  const request = (c: Credentials, signal: AbortSignal) => {
    const client = send === 'basic' ? {} : { [names.id]: read(c, id), [names.secret]: read(c, secret) }
    const fields = { grant_type: 'client_credentials', ...client, ...defined(body?.(c) ?? {}) }
    const extra = defined(headers?.(c) ?? {})
    if (send === 'json') return { headers: { 'Content-Type': 'application/json', ...extra }, body: fields, signal }
    const basic = send === 'basic' ? ([read(c, id), read(c, secret)] as const) : undefined
    return formRequest({ body: fields, headers: extra, signal, ...(basic ? { basic } : {}), ...(contentType ? { contentType } : {}) })
  }
  return {
    ...rest,
    requiredCredentials: [id, secret, ...(requiredCredentials ?? [])],
    identity: (c) => ({ clientId: read(c, id), secret: read(c, secret), ...(scope ? { scope: read(c, scope) } : {}) }),
    grants: ['client_credentials'],
    // The generated `paths` type the call; the options above are built for any of them.
    requestToken: (client: Client<Paths>, c, _grant, signal): Promise<TokenCall> =>
      (client as unknown as Client<Record<string, { post: never }>>).POST(path as never, request(c, signal) as never) as Promise<TokenCall>,
    readToken: readToken ?? readOAuthToken,
  }
}
