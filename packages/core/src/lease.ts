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
 * alive.
 */
export async function heldLease(
  store: TokenStore,
  key: string,
  leaseMs: number,
  onError: (operation: string, error: unknown) => void,
  signal?: AbortSignal,
): Promise<Lease> {
  const lock: StoreLock = await store.lock!(key, leaseMs, signal)
  let held = true
  let released = false
  const timer = setInterval(() => {
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
