/**
 * Cache keys: carrier + environment or base URL + client id + scope + a hash of the secret.
 * The secret itself never reaches a key, a store or an event. SHA-256 in plain JavaScript
 * (`sha256.ts`, the same digest Web Crypto gives) keeps core free of `node:crypto` and makes a key
 * synchronous: about a microsecond per hash, computed once per provider when it first needs it.
 */
import { sha256Hex } from './sha256.js'

export interface CacheKeyParts {
  carrier: string
  endpoint: string
  clientId: string
  scope: string | undefined
  secret: string
  /** A connected customer account (authorization-code grant), named by the caller. */
  account?: string | undefined
}

export interface CacheKeys {
  /** The token's key: changes when any identity part, the secret included, changes. */
  token: string
  /** The account's key for the credentials cooldown: without the secret, because a carrier
   * that locks accounts (Posti) counts failed logins per account, whatever password was tried. */
  account: string
  /** A short id for events and logs. */
  id: string
  /** A hash of the secret (never the secret), naming it in the account ledger. */
  secretTag: string
}

/** What names an account for the ledger: never the secret, since a lockout counts per account. */
export interface AccountParts {
  /** The profile's carrier id (`posti`), as `CarrierAuth.carrier` says it. */
  carrier: string
  /** The token endpoint's base URL in use (`CarrierAuth.baseUrl`). */
  baseUrl: string
  /** The client id, user name or API key the carrier counts failed logins against. */
  clientId: string
}

/** The account ledger's key of an account: what `clearLedger` takes. */
export function accountKey(parts: AccountParts): string {
  return ['carrier-auth', parts.carrier, parts.baseUrl, parts.clientId].map(encodeURIComponent).join('|')
}

/**
 * Pieces joined into one flat string: a key lives as long as its store entry, and a template
 * literal would keep the chain of its pieces alive with it.
 */
const flat = (...pieces: string[]) => pieces.join('')

/** The keys of one identity, synchronously. */
export function cacheKeysOf(parts: CacheKeyParts): CacheKeys {
  const account = accountKey({ carrier: parts.carrier, baseUrl: parts.endpoint, clientId: parts.clientId })
  const customer = parts.account === undefined ? '' : `|account:${encodeURIComponent(parts.account)}`
  const secretTag = sha256Hex(`carrier-auth\u0000${parts.clientId}\u0000${parts.secret}`, 32)
  const token = flat(account, '|', encodeURIComponent(parts.scope ?? ''), '|', secretTag, customer)
  const id = sha256Hex(token, 12)
  return { token, account, id, secretTag }
}

/** The keys of one identity (kept for callers of the asynchronous form). */
export async function cacheKeys(parts: CacheKeyParts): Promise<CacheKeys> {
  return cacheKeysOf(parts)
}
