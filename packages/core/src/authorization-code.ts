import { type AccessToken, fromStored, toStored } from './access-token.js'
import type { CarrierAuthFactoryOptions, CarrierAuth } from './create-carrier-auth.js'
import { providerFor, requestWith, resolveParts } from './create-carrier-auth.js'
import { authError, configError } from './error-factory.js'
import { datedToken } from './lifetime.js'
import { DEFAULT_ACCOUNT_IDLE_MS, DEFAULT_MAX_ACCOUNTS } from './accounts.js'
import { keptProviders } from './kept-providers.js'
import { heldOnlyInMemory } from './memory-only-pairs.js'
import { inspectSymbol } from './redaction.js'
import type { CarrierProfile } from './profile.js'

export interface AuthorizeUrlOptions {
  /** Must be identical to the one registered for the client. */
  redirectUri: string
  /** Scopes, separated by spaces. Defaults to the client's scope. */
  scope?: string
  /** Your own state; a random one is generated when omitted. */
  state?: string
}

export interface ExchangeCodeOptions {
  /** The `code` the redirect URI received. */
  code: string
  /** The `state` the redirect URI received. */
  state: string
  /** The state `authorizeUrl` returned (kept in the user's session). */
  expectedState: string
  redirectUri: string
  /** The key this customer's token pair is stored under (one per connected account). */
  account: string
  /**
   * The scope the customer authorized: the one `authorizeUrl` returned. It is stored with the
   * pair and sent with every refresh of this account. Default: the client's configured scope.
   */
  scope?: string
}

/** A carrier auth that can also connect customer accounts (authorization-code grant). */
export interface AuthorizationCodeAuth extends CarrierAuth {
  /** The URL to send the customer to, the state to keep in their session, and the scope asked for. */
  authorizeUrl(options: AuthorizeUrlOptions): { url: string; state: string; scope: string }
  /** Checks the state (constant time), exchanges the code, stores the pair under `account`. */
  exchangeCode(options: ExchangeCodeOptions): Promise<AccessToken>
  /** Tokens for one connected account: refreshed with its stored, single-use refresh token. */
  forAccount(account: string): CarrierAuth
}

/** 32 random bytes, base64url: unguessable, safe in a URL. */
export function randomState(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32))
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Compares two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a)
  const y = new TextEncoder().encode(b)
  let diff = x.length ^ y.length
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0)
  return diff === 0
}

/**
 * The authorization-code grant with rotating refresh tokens, for carriers that offer it
 * (PostFinance). Account providers share the client's store, so every process that shares the
 * store shares each account's pair, its lock and its rotation.
 */
export function createAuthorizationCodeAuth<Paths extends {}, Credentials, Env extends string>(
  profile: CarrierProfile<Paths, Credentials, Env>,
  options: CarrierAuthFactoryOptions<Credentials, Env>,
): AuthorizationCodeAuth {
  const parts = resolveParts(profile, options)
  const base = providerFor(parts)
  const { identity, endpoint } = parts
  // Bounded like accounts(): idle providers go, except one holding a pair the store has not got.
  const accounts = keptProviders<ReturnType<typeof providerFor>>({
    maxAccounts: DEFAULT_MAX_ACCOUNTS,
    idleMs: DEFAULT_ACCOUNT_IDLE_MS,
    now: () => parts.clock.now(),
    mayDrop: (account) => !heldOnlyInMemory(parts.store, identity.clientId, account),
  })
  const site = { carrier: profile.carrier, displayName: profile.displayName, environment: endpoint.environment, host: endpoint.host }
  const authorizePath = profile.authorizePath
  if (!authorizePath) throw new Error(`${profile.carrier} has no authorization-code grant`)
  if (typeof parts.store.lock !== 'function') {
    throw configError(
      profile.carrier,
      'Rotating refresh tokens need a store with a lock (MemoryStore, FileStore, the Redis or PostgreSQL store): a single-use refresh token is only sent under it.',
      endpoint.environment,
    )
  }

  const forAccount = (account: string) => {
    if (typeof account !== 'string' || account.length === 0) {
      throw configError(profile.carrier, 'account must be a non-empty string naming the connected customer account.', endpoint.environment)
    }
    return accounts.get(account, () => providerFor(parts, account))
  }

  const auth = {
    ...base,
    forAccount,
    authorizeUrl({ redirectUri, scope, state }: AuthorizeUrlOptions) {
      const chosen = state ?? randomState()
      const asked = scope ?? identity.scope ?? ''
      const url = new URL(`${endpoint.baseUrl}${authorizePath}`)
      // The doc's order: scope, state, response_type, client_id, redirect_uri.
      url.searchParams.set('scope', asked)
      url.searchParams.set('state', chosen)
      url.searchParams.set('response_type', 'code')
      url.searchParams.set('client_id', identity.clientId)
      url.searchParams.set('redirect_uri', redirectUri)
      return { url: url.toString(), state: chosen, scope: asked }
    },
    async exchangeCode({ code, state, expectedState, redirectUri, account, scope }: ExchangeCodeOptions) {
      if (typeof state !== 'string' || typeof expectedState !== 'string' || !expectedState || !constantTimeEqual(state, expectedState)) {
        throw authError(site, 'state_mismatch')
      }
      const provider = forAccount(account)
      const sentAt = parts.clock.now()
      const authorized = scope ?? identity.scope
      const answer = await requestWith(parts, { type: 'authorization_code', code, redirectUri, scope: authorized })
      const dated = datedToken(answer.fields, sentAt, answer.serverDate, profile.policy.defaultLifetimeMs)
      // The pair keeps the scope it was granted for; every refresh sends it.
      const token = dated.scope === undefined && authorized !== undefined ? fromStored({ ...toStored(dated), scope: authorized }) : dated
      if (!token.refreshToken) {
        throw authError(site, 'invalid_response', { detail: 'the code exchange returned no refresh token' })
      }
      await provider.seed(token)
      return token
    },
  }
  // Logged, it shows what the client provider shows: carrier, environment, base URL.
  Object.defineProperty(auth, inspectSymbol, { value: (base as unknown as Record<symbol, () => string>)[inspectSymbol] })
  Object.defineProperty(auth, 'toJSON', { value: (base as unknown as { toJSON(): unknown }).toJSON })
  return Object.freeze(auth)
}
