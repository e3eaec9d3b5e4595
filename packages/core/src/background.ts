import { configError } from './error-factory.js'

/**
 * Runtimes with per-request contexts (Cloudflare Workers) cancel whatever a request started once
 * its response is sent, unless the work was handed to the request's `waitUntil`. A promise
 * started there and never handed over simply never settles. These helpers keep every promise the
 * cache starts inside a context that will see it through.
 */

/** Runs work that outlives the calling request, e.g. `(p) => ctx.waitUntil(p)` on Workers. */
export type BackgroundTasks = (task: Promise<unknown>) => void

/**
 * Cloudflare documents `navigator.userAgent` as `'Cloudflare-Workers'` in every Worker. It is the
 * one runtime that is known to drop un-awaited work, so it is detected instead of configured: a
 * user who never heard of the problem still gets requests that do not hang.
 */
export function hasPerRequestContexts(): boolean {
  return typeof navigator !== 'undefined' && (navigator as { userAgent?: unknown }).userAgent === 'Cloudflare-Workers'
}

export function checkBackgroundTasks(carrier: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw configError(carrier, 'backgroundTasks must be a function that takes a promise, such as (p) => ctx.waitUntil(p).')
  }
}

/**
 * Where a refresh-ahead runs, decided once per provider: handed to `backgroundTasks` when given;
 * in the foreground (the calling request awaits it) on a runtime with per-request contexts and no
 * hook; else in the background, in this process.
 */
export function refreshAheadRunner(backgroundTasks: BackgroundTasks | undefined) {
  const foreground = backgroundTasks === undefined && hasPerRequestContexts()
  return {
    /** False when the caller awaits the refresh (its waits must keep the process alive). */
    inBackground: !foreground,
    /**
     * `refresh` never rejects (failures become events and resolve to the current token).
     * Returns what the calling request gets: the refreshed token, or the current one.
     */
    run<T>(refresh: Promise<T>, current: Promise<T>): Promise<T> {
      if (foreground) return refresh
      if (backgroundTasks) {
        try {
          backgroundTasks(refresh)
        } catch {
          // The hook refused (e.g. no request is active): the caller waits rather than lose the refresh.
          return refresh
        }
      }
      return current
    },
  }
}

/**
 * A wait on an acquisition another caller started. That caller's context may have ended, and its
 * promise will then never settle: after `boundMs` (as long as a live acquisition can take: a
 * lock wait and a lease) the waiter stops waiting and starts its own with `startOwn`.
 */
export function joinBounded<T>(shared: Promise<T>, boundMs: number, startOwn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => startOwn().then(resolve, reject), boundMs)
    shared.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** A store that cannot work where each request has its own context says so when it is built. */
export function refuseWhereRequestsHaveContexts(store: string, reason: string): void {
  if (!hasPerRequestContexts()) return
  throw configError('core', `${store} cannot run on Cloudflare Workers: ${reason} Use MemoryStore (shared within one isolate) there.`)
}
