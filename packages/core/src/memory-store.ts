import type { StoredToken } from './access-token.js'
import type { Clock } from './clock.js'
import { systemClock, timerSleep } from './clock.js'
import type { StoreEntry, StoreLock, TokenStore } from './store.js'

interface Slot<T> {
  value: T
  version: number
  expiresAt: number
}

/**
 * The default store: a Map in this process. Share one instance between providers to share
 * tokens and single flight between them; its lock is a FIFO queue per key.
 */
export class MemoryStore implements TokenStore {
  readonly #tokens = new Map<string, Slot<StoredToken>>()
  readonly #markers = new Map<string, Slot<number>>()
  readonly #versions = new Map<string, number>()
  /** Per key, the last taker's turn and when its lease ends at the latest (real time: the lease timer is real). */
  readonly #locks = new Map<string, { tail: Promise<void>; leaseEndsAt: number }>()
  readonly #clock: Clock

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock
  }

  #live<T>(map: Map<string, Slot<T>>, key: string): Slot<T> | undefined {
    const slot = map.get(key)
    if (slot && slot.expiresAt <= this.#clock.now()) {
      map.delete(key)
      return undefined
    }
    return slot
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    const slot = this.#live(this.#tokens, key)
    return slot ? { token: { ...slot.value }, version: slot.version } : undefined
  }

  async set(key: string, token: StoredToken, ttlMs: number): Promise<number> {
    const version = (this.#versions.get(key) ?? 0) + 1
    this.#versions.set(key, version)
    this.#tokens.set(key, { value: { ...token }, version, expiresAt: this.#clock.now() + ttlMs })
    return version
  }

  async compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number) {
    const current = this.#live(this.#tokens, key)?.version ?? 0
    if (current !== expectedVersion) return undefined
    return this.set(key, token, ttlMs)
  }

  async delete(key: string, onlyIfAccessToken?: string): Promise<void> {
    const slot = this.#tokens.get(key)
    if (!slot) return
    if (onlyIfAccessToken === undefined || slot.value.accessToken === onlyIfAccessToken) this.#tokens.delete(key)
  }

  async getMarker(key: string): Promise<number | undefined> {
    return this.#live(this.#markers, key)?.value
  }

  async setMarker(key: string, value: number, ttlMs: number): Promise<void> {
    this.#markers.set(key, { value, version: 0, expiresAt: this.#clock.now() + ttlMs })
  }

  /**
   * A FIFO lock per key: each taker waits for the one before it, but never past that one's lease:
   * a holder can end without releasing when its request context is torn down (Workers).
   */
  async lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const before = this.#locks.get(key)
    const now = Date.now()
    const previous = before ? withinLease(before.tail, before.leaseEndsAt - now) : Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const slot = { tail: previous.then(() => mine), leaseEndsAt: Math.max(now, before?.leaseEndsAt ?? now) + ttlMs }
    this.#locks.set(key, slot)
    const done = () => {
      release()
      if (this.#locks.get(key) === slot) this.#locks.delete(key)
    }
    if (signal) {
      await Promise.race([
        previous,
        new Promise<never>((_, reject) => {
          if (signal.aborted) reject(signal.reason)
          signal.addEventListener('abort', () => reject(signal.reason), { once: true })
        }),
      ]).catch((e: unknown) => {
        done()
        throw e
      })
    } else {
      await previous
    }
    let released = false
    return {
      release: async () => {
        if (!released) {
          released = true
          done()
        }
      },
      // Core's acquisitions end within one lease (its ttl covers the retry deadline and a timeout).
      extend: async () => !released,
    }
  }
}

/** `previous`, or the end of its lease in `ms` (a real timer that keeps no process alive). */
function withinLease(previous: Promise<void>, ms: number): Promise<void> {
  const stop = new AbortController()
  const leaseEnd = timerSleep(Math.max(0, ms), stop.signal, true).catch(() => {})
  return Promise.race([previous.finally(() => stop.abort()), leaseEnd])
}
