import { AccessToken, fromStored, toStored } from './access-token.js'
import type { CacheKeys } from './cache-key.js'
import type { CacheEnv } from './cache-env.js'
import { authError } from './error-factory.js'
import { CarrierAuthError } from './errors.js'
import type { RequestReason } from './events.js'
import type { StoreEntry } from './store.js'
import { outcomeOf, type Fetched, type TokenRequester } from './token-request.js'

/** A rotating entry holds a refresh token that never expires: keep it well beyond its access token. */
export const ROTATING_ENTRY_TTL_MS = 400 * 24 * 3_600_000
/** After a chain is found gone, the store is read again for a new pair at most this often. */
const DEAD_CHAIN_BACKOFF_MS = 30_000
/** Pauses between tries of writing a rotated pair, in ms (about 3 s in all, under the lock). */
const PERSIST_RETRIES = [100, 400, 1000, 1500]
/** Refresh tokens remembered as spent, per account provider. */
const MAX_DEAD = 16

/** The token, with the scope the pair was authorized for when the carrier's answer names none. */
function withScope(token: AccessToken, scope: string | undefined): AccessToken {
  if (token.scope !== undefined || scope === undefined) return token
  return fromStored({ ...toStored(token), scope })
}

/**
 * Refresh-token rotation (single-use refresh tokens, PostFinance). Runs under the store's lock,
 * taken by the caller. A refresh token is sent at most once: the new pair is written with
 * compare-and-set against the version that was read, before anyone gets the access token; a
 * refresh whose answer was lost is never sent again; a token the carrier refused, or spent
 * without an answer, is remembered (here and in the store) and never sent again by anyone.
 */
export function createRotation(env: CacheEnv, request: TokenRequester) {
  const { config } = env
  const { store, clock } = config
  /**
   * The newest pair this process got from the carrier itself (an exchange, a rotation). It stops
   * being this process's to vouch for once the process hands out a different pair (read from the
   * store): another process rotated since.
   */
  let own: AccessToken | undefined
  const ownNewest = () => (own && (env.current()?.refreshToken ?? own.refreshToken) === own.refreshToken ? own : undefined)
  /** A rotated refresh token the store has not accepted yet (it was unreachable). */
  let unpersisted: string | undefined
  /** Refresh tokens this process knows are spent: refused, or sent without an answer. */
  const dead = new Set<string>()
  let deadUntil = 0

  const deadMarker = async (keys: CacheKeys, refreshToken: string) => `${keys.token}#spent#${await shortHash(refreshToken)}`

  async function isDead(keys: CacheKeys, refreshToken: string): Promise<boolean> {
    if (dead.has(refreshToken)) return true
    const marked = await env.safely('getMarker', async () => store.getMarker(await deadMarker(keys, refreshToken)))
    if (marked) remember(refreshToken)
    return marked !== undefined && marked > 0
  }

  function remember(refreshToken: string) {
    dead.add(refreshToken)
    if (dead.size > MAX_DEAD) dead.delete(dead.values().next().value as string)
  }

  async function bury(keys: CacheKeys, refreshToken: string) {
    remember(refreshToken)
    await env.safely('setMarker', async () => store.setMarker(await deadMarker(keys, refreshToken), clock.now(), ROTATING_ENTRY_TTL_MS))
  }

  /**
   * Refresh tokens worth sending, best first: the store's, then this process's own. Once the store
   * has lost the pair, a pair in memory is never sent (another process may have rotated it since,
   * its write lost with the store's data), except one whose write never landed: no one else saw it.
   */
  async function candidates(keys: CacheKeys, current: StoreEntry | undefined): Promise<string[]> {
    // Once the store holds no pair, only the unpersisted one is certain to be the newest.
    const seen = current ? [unpersisted, current.token.refreshToken, ownNewest()?.refreshToken] : [unpersisted]
    const out: string[] = []
    for (const t of seen) if (t && !out.includes(t) && !(await isDead(keys, t))) out.push(t)
    return out
  }

  async function rotate(keys: CacheKeys, stored: StoreEntry | undefined, reason: RequestReason, background: boolean, usable: (e: StoreEntry | undefined) => boolean, fromStore: (e: StoreEntry) => AccessToken): Promise<Fetched | AccessToken> {
    let current = stored
    let lastLoss: 'refused' | 'lost_answer' | undefined
    if (!current && unpersisted && own?.refreshToken === unpersisted && !(await isDead(keys, unpersisted))) {
      // The store has lost this account's pair (restarted empty) and this process holds the one
      // pair no one else can have rotated (it never reached the store): write it back first.
      const mine = own!
      const version = await env.safely('compareAndSet', () => store.compareAndSet(keys.token, 0, toStored(mine), ROTATING_ENTRY_TTL_MS))
      current = version === undefined ? await env.safely('get', () => store.get(keys.token)) : { token: toStored(mine), version }
      if (version !== undefined) unpersisted = undefined
      if (usable(current)) return fromStore(current!)
    }
    for (;;) {
      const [refreshToken] = await candidates(keys, current)
      if (!refreshToken && !current && env.current()?.refreshToken && !dead.has(env.current()!.refreshToken!)) {
        // The store has lost the pair it held: the one in this process's memory may have been
        // rotated since by another process (its write lost with the store's data). Never sent.
        throw authError(env.site, 'store_unavailable', { storeLost: true })
      }
      if (!refreshToken) {
        // Nothing alive to send. After a back-off, one more read of the store (another process may
        // have connected the account again); until then, no request at all.
        if (clock.now() >= deadUntil) {
          deadUntil = clock.now() + DEAD_CHAIN_BACKOFF_MS
          const latest = await env.safely('get', () => store.get(keys.token))
          if (usable(latest)) return fromStore(latest!)
          if (latest?.token.refreshToken && latest.token.refreshToken !== current?.token.refreshToken) {
            current = latest
            continue
          }
        }
        throw authError(env.site, 'invalid_grant', { grantLoss: lastLoss ?? (dead.size > 0 ? 'refused' : 'not_connected') })
      }
      const scope = current?.token.scope ?? env.current()?.scope ?? config.identity.scope
      let result: Fetched
      try {
        result = await request(keys, { type: 'refresh_token', refreshToken, scope }, 'refresh_token', background)
      } catch (error) {
        if (!CarrierAuthError.isInstance(error)) throw error
        if (error.code === 'invalid_grant' || outcomeOf(error) === 'unknown') {
          // Refused, or sent with no answer: either way this refresh token is spent.
          lastLoss = error.code === 'invalid_grant' ? 'refused' : 'lost_answer'
          await bury(keys, refreshToken)
          env.event({ type: 'refresh_token_rejected', status: error.status, why: lastLoss })
          if (error.code === 'invalid_grant') {
            // Maybe someone rotated it already: read again before giving up.
            const latest = await env.safely('get', () => store.get(keys.token))
            if (usable(latest) && latest!.token.refreshToken !== refreshToken) return fromStore(latest!)
            current = latest
            continue
          }
          throw authError(env.site, 'invalid_grant', { grantLoss: 'lost_answer', detail: error.code === 'timeout' ? 'no answer in time' : 'the connection dropped' })
        }
        throw error
      }
      // The carrier has revoked `refreshToken`: from here the new one must not be lost.
      remember(refreshToken)
      const token = withScope(result.token, scope)
      own = token.refreshToken ? token : fromStored({ ...toStored(token), refreshToken })
      const written = await persist(keys, current?.version ?? 0, token)
      // Until a write lands, this process holds the only copy of the live refresh token: use it first.
      unpersisted = written === 'unavailable' ? own.refreshToken : undefined
      if (written === 'conflict') {
        const latest = await env.safely('get', () => store.get(keys.token))
        if (usable(latest)) return fromStore(latest!)
        await env.safely('set', () => store.set(keys.token, toStored(token), ROTATING_ENTRY_TTL_MS))
      }
      return { ...result, token }
    }
  }

  /**
   * Writes the rotated pair while this process still holds the lock. A failed write is tried
   * again (a store blinking, a failover): once the lock is released, another process would read
   * the spent refresh token and send it. Only a store that stays unreachable leaves the pair in
   * this process's memory alone.
   */
  async function persist(keys: CacheKeys, version: number, token: AccessToken): Promise<'written' | 'conflict' | 'unavailable'> {
    for (let attempt = 0; ; attempt++) {
      try {
        const v = await store.compareAndSet(keys.token, version, toStored(token), ROTATING_ENTRY_TTL_MS)
        return v === undefined ? 'conflict' : 'written'
      } catch (error) {
        env.event({ type: 'store_unavailable', operation: 'compareAndSet', error })
        if (attempt >= PERSIST_RETRIES.length) return 'unavailable'
        await env.sleep(PERSIST_RETRIES[attempt]!, true)
      }
    }
  }

  /** Stores a pair obtained outside the cache (an authorization-code exchange). */
  async function seed(keys: CacheKeys, token: AccessToken) {
    own = token
    await store.set(keys.token, toStored(token), ROTATING_ENTRY_TTL_MS)
  }

  /**
   * Makes the stored access token unusable and keeps its refresh token (a 401, an invalidate, a
   * forced refresh): the next call refreshes with it. Compare-and-set, so a newer pair is kept.
   */
  async function dropAccessToken(keys: CacheKeys, accessToken: string) {
    const stored = await env.safely('get', () => store.get(keys.token))
    if (!stored || stored.token.accessToken !== accessToken) return
    const spent = { ...stored.token, expiresAt: stored.token.issuedAt }
    await env.safely('compareAndSet', () => store.compareAndSet(keys.token, stored.version, spent, ROTATING_ENTRY_TTL_MS))
  }

  return { rotate, seed, dropAccessToken }
}

async function shortHash(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`carrier-auth-refresh\u0000${text}`))
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('')
}

export type Rotation = ReturnType<typeof createRotation>
