import { hasPerRequestContexts } from './background.js'
import { monotonicNow } from './clock.js'

/**
 * A clock for the hot path. Reading the system clock costs about as much as the rest of a cached
 * `getToken()` on some VMs, so while tokens are being handed out the precise source is read at
 * most once per tick: the first read after a tick takes a precise reading, later reads return it,
 * and the next tick discards it. One timer serves the whole process; it is `unref`ed (it never
 * keeps a process alive) and it stops itself after a tick in which nobody read the clock.
 *
 * How stale a reading can be: at most one tick while the event loop runs. Code that keeps the loop
 * from running timers (a synchronous stretch, or a chain of awaits on settled promises) also keeps
 * the tick away, so a reading is also given out at most `COARSE_MAX_READS` times: then it is taken
 * again. The provider never trusts a reading within
 * `COARSE_MARGIN_MS` of a token's refresh-ahead moment (it reads the precise clock there), and the
 * refresh-ahead moment is at least the expiry buffer before the token's end: a token handed out
 * on a coarse reading is expired only if the event loop stood still for longer than the margin
 * plus the expiry buffer (61 s by default) while making fewer than `COARSE_MAX_READS` reads.
 */
export const COARSE_TICK_MS = 25

/** A reading is given out at most this many times before the source is read again. */
export const COARSE_MAX_READS = 1024

/** How close to a token's refresh-ahead moment the provider stops trusting a coarse reading. */
export const COARSE_MARGIN_MS = 1000

/** The timer functions the coarse clock needs (injected in tests). */
export interface IntervalTimers {
  setInterval(run: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

export interface CoarseClock {
  /** Epoch milliseconds, at most one tick old while the event loop runs. */
  now(): number
  /** True while a timer is running (someone read the clock during the last tick). */
  readonly ticking: boolean
}

const realTimers: IntervalTimers = {
  setInterval: (run, ms) => setInterval(run, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
}

/**
 * A coarse clock over `source`, or undefined where it cannot run: where a timer has no `unref`
 * (it would keep the process alive, or, on Workers, outlive the request that started it), the
 * caller reads `source` directly.
 */
export function createCoarseClock(source: () => number, timers: IntervalTimers = realTimers, tickMs = COARSE_TICK_MS): CoarseClock | undefined {
  if (hasPerRequestContexts()) return undefined
  let reading = 0
  /** Reads left of this reading; 0: take a new one. */
  let left = 0
  let readSinceTick = false
  let timer: unknown
  let unsupported = false

  function tick() {
    left = 0
    if (readSinceTick) {
      readSinceTick = false
      return
    }
    // A whole tick without a reader: nobody is hot, so the timer stops until the next read.
    timers.clearInterval(timer)
    timer = undefined
  }

  function start() {
    const handle = timers.setInterval(tick, tickMs)
    const unref = (handle as { unref?: () => void } | undefined)?.unref
    if (typeof unref !== 'function') {
      timers.clearInterval(handle)
      unsupported = true
      return
    }
    unref.call(handle)
    timer = handle
  }

  return {
    now() {
      if (--left > 0) return reading
      reading = source()
      if (unsupported) {
        left = 0
        return reading
      }
      readSinceTick = true
      if (timer === undefined) start()
      if (!unsupported) left = COARSE_MAX_READS
      return reading
    },
    get ticking() {
      return timer !== undefined
    },
  }
}

/**
 * A clock carrying this key tells the token cache which coarse clock its hot path may read
 * (tests inject one over a manual source; the system clock uses the process-wide one).
 */
export const COARSE: unique symbol = Symbol('carrier-auth.coarseClock')

/** The process's coarse clock over the monotonic system clock (undefined where it cannot run). */
export const processCoarseClock: CoarseClock | undefined = createCoarseClock(monotonicNow)
