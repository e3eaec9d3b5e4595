import type { StoreLock, TokenStore } from './store.js'

/** A store lock held as a short lease, renewed while its holder works. */
export interface Lease {
  /** False once a renewal found the lease lost (it expired; someone else may hold it). */
  readonly held: boolean
  release(): Promise<void>
}

/**
 * Takes `store.lock(key)` with a lease of `leaseMs` and renews it every third of that until
 * released, so a holder that dies (a crashed pod) is replaced within one lease, while a live
 * one keeps the lock however long its request takes. The renewal timer never keeps a process
 * alive, and renewals stop after `maxHoldMs`, the longest any live holder works.
 */
export async function heldLease(
  store: TokenStore,
  key: string,
  leaseMs: number,
  onError: (operation: string, error: unknown) => void,
  maxHoldMs: number = Number.POSITIVE_INFINITY,
): Promise<Lease> {
  const lock: StoreLock = await store.lock!(key, leaseMs)
  let held = true
  let released = false
  const takenAt = Date.now()
  const timer = setInterval(() => {
    // No live holder works longer than this: past it, the holder is taken for gone (a request
    // context torn down mid-request) and the lease is left to run out.
    if (Date.now() - takenAt > maxHoldMs) {
      clearInterval(timer)
      return
    }
    lock.extend(leaseMs).then(
      (ok) => {
        if (!ok && !released) held = false
      },
      (error: unknown) => onError('extend', error),
    )
  }, Math.max(50, Math.floor(leaseMs / 3)))
  ;(timer as { unref?: () => void }).unref?.()
  return {
    get held() {
      return held
    },
    async release() {
      if (released) return
      released = true
      clearInterval(timer)
      await lock.release().catch((error: unknown) => onError('release', error))
    },
  }
}
