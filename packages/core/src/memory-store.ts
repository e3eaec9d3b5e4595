import type { StoredToken } from './access-token.js'
import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
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
  /** Gone with the process: a restart forgets tokens and the ledger's markers. */
  readonly persistent = false
  readonly #tokens = new Map<string, Slot<StoredToken>>()
  readonly #markers = new Map<string, Slot<number>>()
  readonly #versions = new Map<string, number>()
  readonly #locks = new Map<string, Promise<void>>()
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

  /** A FIFO lock per key: each taker waits for the one before it. */
  async lock(key: string, _ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const previous = this.#locks.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.#locks.set(key, tail)
    const done = () => {
      release()
      if (this.#locks.get(key) === tail) this.#locks.delete(key)
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
      // One process: a holder cannot die without the process, so the lease never runs out.
      extend: async () => !released,
    }
  }
}
