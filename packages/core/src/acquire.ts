import { type AccessToken, fromStored, toStored } from './access-token.js'
import type { CacheEnv } from './cache-env.js'
import { authError } from './error-factory.js'
import type { RequestReason } from './events.js'
import { heldLease, type Lease } from './lease.js'
import { freshnessOf } from './lifetime.js'
import { holdOnlyInMemory } from './memory-only-pairs.js'
import { createRotation } from './rotation.js'
import type { StoreEntry } from './store.js'
import { createTokenRequester, type Fetched } from './token-request.js'

/** The store lock's lease: short, renewed while the holder works, so a dead holder is replaced soon. */
export const TOKEN_LEASE_MS = 5_000

/**
 * The slow path of one provider, run once per cache key at a time (the provider's single
 * flight): store read → lock → store read again → the carrier (client credentials, or rotation)
 * → store write.
 */
export function createAcquirer(env: CacheEnv) {
  const { config } = env
  const { store, clock } = config
  const request = createTokenRequester(env)
  const rotation = config.rotating ? createRotation(env, request) : undefined
  /** This cache rotated a pair the store has not got (a rotating account only). */
  let onlyInMemory = false
  const hold = (held: boolean) => holdOnlyInMemory(store, config.identity.clientId, config.account ?? '', env, held)

  /** A stored entry this caller may use instead of asking the carrier. */
  function usable(stored: StoreEntry | undefined, exclude: string | undefined, reason: RequestReason) {
    if (!stored || stored.token.accessToken === exclude) return false
    const f = freshnessOf(stored.token, config.expiryBufferMs, config.refreshAheadMs)
    const now = clock.now()
    if (now >= f.freshUntil) return false
    // A refresh-ahead wants a token newer than the one it is replacing (which, jittered, may
    // start its refresh before the store's copy of it reaches its own window).
    return !(reason === 'refresh_ahead' && (now >= f.refreshAt || stored.token.accessToken === env.current()?.accessToken))
  }

  function fromStore(stored: StoreEntry, started: number, reason: RequestReason) {
    onlyInMemory = false
    const token = env.remember(fromStored(stored.token))
    env.event({ type: 'token_acquired', reason, source: 'store', durationMs: clock.now() - started, attempts: 0, expiresAt: token.expiresAt })
    return token
  }

  function fromNetwork({ token, attempts, durationMs }: Fetched, reason: RequestReason) {
    env.remember(token)
    env.event({ type: 'token_acquired', reason, source: 'network', durationMs, attempts, expiresAt: token.expiresAt })
    return token
  }

  /**
   * A rotating account's acquisition holds its provider while it runs (it may rotate), and after
   * it as long as the pair it rotated is only in memory: letting the provider go would lose it.
   */
  async function acquire(reason: RequestReason, exclude: string | undefined, background: boolean): Promise<AccessToken> {
    if (!rotation) return acquireOnce(reason, exclude, background)
    hold(true)
    try {
      return await acquireOnce(reason, exclude, background)
    } finally {
      hold(onlyInMemory)
    }
  }

  async function acquireOnce(reason: RequestReason, exclude: string | undefined, background: boolean): Promise<AccessToken> {
    const keys = await env.keys()
    const started = clock.now()
    // A forced refresh drops the token it replaces everywhere, so a later caller cannot get it back.
    if (exclude !== undefined) await dropAccessToken(exclude)
    let stored = await env.safely('get', () => store.get(keys.token))
    if (usable(stored, exclude, reason)) return fromStore(stored!, started, reason)
    let lease: Lease | undefined
    if (store.lock) {
      const onError = (operation: string, error: unknown) => env.event({ type: 'store_unavailable', operation, error })
      lease = await env.safely('lock', () => heldLease(store, keys.token, Math.min(TOKEN_LEASE_MS, config.joinBoundMs), onError, config.joinBoundMs))
      // A single-use refresh token is only ever sent under the lock every sharer honours.
      if (!lease && rotation) throw authError(env.site, 'store_unavailable', { detail: 'the lock' })
    }
    try {
      if (lease) {
        // Whoever held the lock before us may have fetched (or rotated) already.
        stored = await env.safely('get', () => store.get(keys.token))
        if (usable(stored, exclude, reason)) return fromStore(stored!, started, reason)
      }
      if (rotation) {
        const rotated = await rotation.rotate(keys, stored, reason, background, (e) => usable(e, exclude, reason), (e) => fromStore(e, started, 'refresh_token'))
        if (!('attempts' in rotated)) return rotated
        // Read back under the lock: did the rotated pair reach the store?
        const written = await env.safely('get', () => store.get(keys.token))
        onlyInMemory = written?.token.refreshToken !== rotated.token.refreshToken
        return fromNetwork(rotated, 'refresh_token')
      }
      const fetched = await request(keys, { type: 'client_credentials' }, reason, background)
      await env.safely('set', () => store.set(keys.token, toStored(fetched.token), fetched.token.expiresAt - clock.now()))
      return fromNetwork(fetched, reason)
    } finally {
      await lease?.release()
    }
  }

  /** Drops an access token from the store (a rotating pair keeps its refresh token). */
  async function dropAccessToken(accessToken: string) {
    const keys = await env.keys()
    if (rotation) return rotation.dropAccessToken(keys, accessToken)
    await env.safely('delete', () => store.delete(keys.token, accessToken))
  }

  async function seed(token: AccessToken) {
    if (!rotation) throw new TypeError('seed() is for rotating pairs')
    await rotation.seed(await env.keys(), token)
    env.remember(token)
  }

  return { acquire, dropAccessToken, seed }
}
