import type { StoredToken } from './access-token.js'
import type { Clock } from './clock.js'
import { monotonicNow, systemClock } from './clock.js'
import type { StoreEntry, StoreLock, TokenStore } from './store.js'

interface Slot<T> {
  value: T
  version: number
  expiresAt: number
}

/** How often (by the store's clock) expired entries and markers are swept out, on the next operation. */
export const MEMORY_SWEEP_INTERVAL_MS = 60_000
/** Writes after which a sweep is due anyway, once they also outnumber what the last sweep left (amortised: O(1) a write). */
const SWEEP_AFTER_WRITES = 1024

/**
 * The default store: a Map in this process. Share one instance between providers to share
 * tokens and single flight between them; its lock is a FIFO queue per key.
 *
 * Nothing in it grows with time: expired entries and markers are swept out once a minute (on the
 * next operation), and also once the writes since the last sweep outnumber what that sweep left
 * (so the short-lived markers a cold start of many accounts writes are gone within it). Versions
 * come from one counter for the whole store, so a key that was deleted or expired never gets a version it
 * had before (no ABA on compare-and-set) without a version being kept per key forever.
 */
export class MemoryStore implements TokenStore {
  /** Gone with the process: a restart forgets tokens and the ledger's markers. */
  readonly persistent = false
  readonly #tokens = new Map<string, Slot<StoredToken>>()
  readonly #markers = new Map<string, Slot<number>>()
  /** The last version handed out, for any key. */
  #version = 0
  #sweepAt = 0
  #writes = 0
  /** Entries and markers the last sweep left. */
  #left = 0
  readonly #locks = new Map<string, Held>()
  readonly #clock: Clock

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock
  }

  /** Entries, markers and held locks kept now (expired ones count until the next sweep). */
  get size(): { tokens: number; markers: number; locks: number } {
    this.#sweep()
    return { tokens: this.#tokens.size, markers: this.#markers.size, locks: this.#locks.size }
  }

  #sweep(write = false) {
    const now = this.#clock.now()
    if (write && ++this.#writes >= Math.max(SWEEP_AFTER_WRITES, this.#left)) this.#sweepAt = now
    if (now < this.#sweepAt) return
    this.#writes = 0
    this.#sweepAt = now + MEMORY_SWEEP_INTERVAL_MS
    for (const [key, slot] of this.#tokens) if (slot.expiresAt <= now) this.#tokens.delete(key)
    for (const [key, slot] of this.#markers) if (slot.expiresAt <= now) this.#markers.delete(key)
    this.#left = this.#tokens.size + this.#markers.size
  }

  #live<T>(map: Map<string, Slot<T>>, key: string): Slot<T> | undefined {
    this.#sweep()
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
    this.#sweep(true)
    const version = ++this.#version
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
    this.#sweep(true)
    this.#markers.set(key, { value, version: 0, expiresAt: this.#clock.now() + ttlMs })
  }

  /**
   * A lock per key, handed on in arrival order. It is a lease: a holder that neither releases nor
   * extends it (its request context was torn down, on Workers) is passed over once the lease
   * ends, while a holder that extends it keeps it however long it works. Leases run on real,
   * monotonic time: they measure how long a holder has been silent, not token lifetimes.
   */
  async lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const owner = Symbol('lock holder')
    for (;;) {
      if (signal?.aborted) throw signal.reason
      const held = this.#locks.get(key)
      const now = monotonicNow()
      if (!held || held.leaseEndsAt <= now) {
        const mine: Held = { owner, leaseEndsAt: now + ttlMs, queue: held?.queue ?? [] }
        this.#locks.set(key, mine)
        return this.#handle(key, mine)
      }
      await new Promise<void>((resolve, reject) => {
        const leave = () => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          const at = held.queue.indexOf(wake)
          if (at >= 0) held.queue.splice(at, 1)
        }
        const wake = () => {
          leave()
          resolve()
        }
        const onAbort = () => {
          leave()
          reject(signal?.reason)
        }
        // Look again when the lease would end; an extended lease sends the waiter back to sleep.
        const timer = setTimeout(wake, Math.max(1, held.leaseEndsAt - now))
        ;(timer as { unref?: () => void }).unref?.()
        held.queue.push(wake)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    }
  }

  #handle(key: string, mine: Held): StoreLock {
    const isMine = () => this.#locks.get(key)?.owner === mine.owner
    return {
      release: async () => {
        if (!isMine()) return
        const next = mine.queue.shift()
        if (mine.queue.length === 0 && !next) this.#locks.delete(key)
        else mine.leaseEndsAt = 0
        next?.()
      },
      extend: async (ms: number) => {
        if (!isMine() || mine.leaseEndsAt <= monotonicNow()) return false
        mine.leaseEndsAt = monotonicNow() + ms
        return true
      },
    }
  }
}

interface Held {
  owner: symbol
  /** Monotonic ms; 0 once released. */
  leaseEndsAt: number
  /** Waiters, woken one at a time in arrival order as the lock is released. */
  queue: (() => void)[]
}
