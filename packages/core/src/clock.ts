/**
 * Time is injected. Every expiry decision reads `clock.now()`; every wait (retry backoff,
 * Retry-After) goes through `clock.sleep` when the clock has one, so a test clock can make
 * waits instant and exact while production waits on real timers.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Optional: wait `ms`. Defaults to a real timer. Must reject with the signal's reason on abort. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * Epoch milliseconds that never jump: the wall clock read once, when the process started, plus
 * the monotonic time since. A system clock stepped back or forward by hours neither makes a token
 * the carrier has expired look fresh nor ends a cooldown early. (Across processes, through a
 * store, times are compared as epoch milliseconds: they agree as far as the hosts' clocks did
 * when each process started.)
 */
export const monotonicNow: () => number =
  typeof globalThis.performance?.now === 'function' && typeof globalThis.performance.timeOrigin === 'number'
    ? () => performance.timeOrigin + performance.now()
    : () => Date.now()

export const systemClock: Clock = { now: monotonicNow }

/**
 * A real-timer sleep. `background` sleeps are `unref`ed so a refresh running behind a caller
 * who already has a token never keeps the process alive; a foreground sleep is one the caller is
 * awaiting, so it must keep the process alive.
 */
export function timerSleep(ms: number, signal?: AbortSignal, background = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (background) (timer as { unref?: () => void }).unref?.()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A clock for tests: time moves only when told to, and `sleep` advances it instantly. */
export interface ManualClock extends Clock {
  /** Moves time forward. */
  advance(ms: number): void
  /** Sets the absolute time. */
  set(epochMs: number): void
  /** Every sleep requested so far, in order (to assert backoff and Retry-After). */
  readonly sleeps: readonly number[]
}

export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let t = startMs
  const sleeps: number[] = []
  return {
    now: () => t,
    advance(ms) {
      t += ms
    },
    set(epochMs) {
      t = epochMs
    },
    sleeps,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      sleeps.push(ms)
      t += ms
      return Promise.resolve()
    },
  }
}

/** Waits for `previous`, at most `ms` of real time (a timer that keeps no process alive). */
export function settledWithin(previous: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
    ;(timer as { unref?: () => void }).unref?.()
  })
  return Promise.race([previous, bound]).finally(() => clearTimeout(timer))
}
