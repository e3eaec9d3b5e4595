import type { StoredToken } from '@carrier-auth/core'

interface Slot {
  token: StoredToken
  version: number
  /** By the store's clock; never later than the Redis entry's own expiry. */
  expiresAt: number
}

/**
 * The in-memory layer in front of Redis: the last entry read or written per key, dropped when
 * Redis would drop it (or after `maxAgeMs`, whichever is first), and on every write, delete or
 * lock of the key in this process. Each change of a key bumps its generation, so a read that was
 * in flight while the key changed does not put an older entry back.
 */
export class LocalCache {
  readonly #slots = new Map<string, Slot>()
  readonly #generations = new Map<string, number>()

  constructor(
    private readonly now: () => number,
    private readonly maxAgeMs: number,
  ) {}

  get(key: string): { token: StoredToken; version: number } | undefined {
    const slot = this.#slots.get(key)
    if (!slot) return undefined
    if (slot.expiresAt <= this.now()) {
      this.#slots.delete(key)
      return undefined
    }
    return { token: { ...slot.token }, version: slot.version }
  }

  generation(key: string): number {
    return this.#generations.get(key) ?? 0
  }

  /** Remembers an entry Redis holds for `ttlMs` more, unless the key changed since `generation`. */
  put(key: string, token: StoredToken, version: number, ttlMs: number, generation = this.generation(key)) {
    if (generation !== this.generation(key)) return
    const life = Math.min(ttlMs, this.maxAgeMs)
    if (!(life > 0)) return
    this.#slots.set(key, { token: { ...token }, version, expiresAt: this.now() + life })
  }

  /** Forgets the key and makes reads in flight unable to put it back. */
  invalidate(key: string) {
    this.#slots.delete(key)
    this.#generations.set(key, this.generation(key) + 1)
  }

  get size(): number {
    return this.#slots.size
  }
}
