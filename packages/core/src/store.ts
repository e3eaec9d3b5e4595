import type { StoredToken } from './access-token.js'

/** What a store keeps under a cache key. `version` grows on every write of the key and is never reused for it, even after a delete. */
export interface StoreEntry {
  token: StoredToken
  version: number
}

/**
 * A held lock: a lease that expires unless it is extended. `release` is idempotent and only
 * releases the lock if it is still ours. `extend` renews the lease to `ttlMs` from now and
 * answers false when the lease was lost (it expired and may be held by someone else).
 * Core takes short leases and extends them while it works, so a holder that dies is replaced
 * within one lease.
 */
export interface StoreLock {
  release(): Promise<void>
  extend(ttlMs: number): Promise<boolean>
}

/**
 * The seam between one process and a fleet. Values are plain data; a store never sees
 * credentials (cache keys carry a hash of the secret, never the secret).
 *
 * Contract for implementers:
 * - `get` returns undefined for a missing or expired entry (entries die with their token).
 * - `set` writes unconditionally and returns the new version.
 * - `compareAndSet` writes only when the current version equals `expectedVersion` (0 = absent),
 *   returning the new version, or `undefined` when someone else wrote first. Refresh-token
 *   rotation relies on it so that an older answer can never overwrite a newer pair.
 * - `delete` with `onlyIfAccessToken` removes the entry only while it still holds that token.
 * - `lock` (optional) takes an exclusive lock for at most `ttlMs`, waiting until `signal` aborts;
 *   a store without it gives single flight within one provider only.
 * - `getMarker` / `setMarker`: small shared facts with a lifetime (the credentials cooldown).
 */
export interface TokenStore {
  /**
   * False for a store that lives and dies with the process (MemoryStore): the account ledger then
   * warns that a restart forgets which secrets were rejected. Absent means it outlives the process.
   */
  readonly persistent?: boolean
  get(key: string): Promise<StoreEntry | undefined>
  set(key: string, token: StoredToken, ttlMs: number): Promise<number>
  compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number): Promise<number | undefined>
  delete(key: string, onlyIfAccessToken?: string): Promise<void>
  lock?(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock>
  getMarker(key: string): Promise<number | undefined>
  setMarker(key: string, value: number, ttlMs: number): Promise<void>
}
