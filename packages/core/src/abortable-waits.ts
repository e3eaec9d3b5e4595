import { hasPerRequestContexts } from './background.js'

/**
 * An abort listener costs microseconds to add and remove (EventTarget bookkeeping), and even
 * reading `signal.aborted` costs more than the rest of joining a request: that was most of what
 * 10,000 callers with signals cost when they joined one token request. So a wait reads its signal
 * once, when the request settles, and adds a listener only once it has lasted
 * `ABORT_LISTEN_AFTER_MS` (one timer per shared request does it for every wait still going). An
 * abort in a wait's first `ABORT_LISTEN_AFTER_MS` is seen then, or when the shared request settles
 * if that is sooner; later, at once. (A signal already aborted when the caller asks never gets
 * here: the provider rejects it at once.) Either way the aborted
 * caller, and only it, is rejected with its signal's reason, and the request goes on.
 */
export const ABORT_LISTEN_AFTER_MS = 50

interface Waiter<T> {
  signal: AbortSignal
  resolve(value: T): void
  reject(reason: unknown): void
  onAbort: (() => void) | undefined
  done: boolean
}

interface Group<T> {
  waiters: Waiter<T>[]
  listening: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

/** A promise's resolving functions, taken without a closure per promise (`new Promise(capture)`). */
const captured = { resolve: (_: never) => {}, reject: (_: unknown) => {} }
function capture(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  captured.resolve = resolve
  captured.reject = reject
}

function listen<T>(w: Waiter<T>): void {
  if (w.done) return
  if (w.signal.aborted) {
    w.done = true
    w.reject(w.signal.reason)
    return
  }
  w.onAbort = () => {
    w.done = true
    w.reject(w.signal.reason)
  }
  w.signal.addEventListener('abort', w.onAbort, { once: true })
}

function settle<T>(g: Group<T>, ok: boolean, value: unknown): void {
  clearTimeout(g.timer)
  for (const w of g.waiters) {
    if (w.done) continue
    w.done = true
    if (w.onAbort) w.signal.removeEventListener('abort', w.onAbort)
    else if (w.signal.aborted) {
      w.reject(w.signal.reason)
      continue
    }
    if (ok) w.resolve(value as T)
    else w.reject(value)
  }
}

/**
 * Callers' waits on shared promises, each cut short by the caller's own signal. One group per
 * shared promise: one `then` settles every waiter, one timer starts the listeners of waits that
 * last. On runtimes with per-request contexts (Workers) a timer may not outlive its request, so
 * there every wait listens from the start.
 */
export function abortableWaits<T>(): (promise: Promise<T>, signal: AbortSignal | undefined) => Promise<T> {
  const groups = new WeakMap<Promise<T>, Group<T>>()
  const eager = hasPerRequestContexts()

  function groupOf(promise: Promise<T>): Group<T> {
    const g: Group<T> = { waiters: [], listening: eager, timer: undefined }
    groups.set(promise, g)
    // A caller who joins after this settles gets a group of its own (settled at once).
    const done = (ok: boolean, value: unknown) => {
      groups.delete(promise)
      settle(g, ok, value)
    }
    promise.then(
      (value) => done(true, value),
      (error: unknown) => done(false, error),
    )
    if (!eager) watch(g)
    return g
  }

  function watch(g: Group<T>): void {
    g.timer = setTimeout(() => {
      g.listening = true
      for (const w of g.waiters) listen(w)
    }, ABORT_LISTEN_AFTER_MS)
    // The shared request keeps the process alive while it runs; this timer must not on its own.
    ;(g.timer as { unref?: () => void }).unref?.()
  }

  return function waitFor(promise, signal) {
    if (!signal) return promise
    const g = groups.get(promise) ?? groupOf(promise)
    const promiseOfCaller = new Promise<T>(capture)
    const w: Waiter<T> = { signal, resolve: captured.resolve, reject: captured.reject, onAbort: undefined, done: false }
    g.waiters.push(w)
    if (g.listening) listen(w)
    return promiseOfCaller
  }
}
