/**
 * Lock waiters of this process, by file: a release here wakes them at once instead of at their
 * next poll. Waiters in other processes poll (their pause is bounded by the holder's lease).
 */
const waiters = new Map<string, Set<() => void>>()

/** Wakes every waiter on `path` in this process. */
export function wakeWaiters(path: string): void {
  for (const wake of waiters.get(path) ?? []) wake()
}

/** Waits `ms`, or less when a release on `path` wakes it; rejects with the signal's reason on abort. */
export function pause(path: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    let set = waiters.get(path)
    if (!set) waiters.set(path, (set = new Set()))
    const done = () => {
      clearTimeout(timer)
      set.delete(wake)
      if (set.size === 0 && waiters.get(path) === set) waiters.delete(path)
      signal?.removeEventListener('abort', onAbort)
    }
    const wake = () => {
      done()
      resolve()
    }
    const onAbort = () => {
      done()
      reject(signal?.reason)
    }
    const timer = setTimeout(wake, ms)
    set.add(wake)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
