import { createHash, randomBytes } from 'node:crypto'
import { type Clock, type StoredToken, type StoreEntry, type StoreLock, type TokenStore, timerSleep } from '@carrier-auth/core'
import type { Cluster, Redis } from 'ioredis'
import { type Decrypt, decode, type Encrypt, encode, fingerprint } from './codec.js'
import { Commands, type RedisLike, type RedisStoreStats } from './commands.js'
import { RedisStoreError } from './errors.js'
import { LocalCache } from './local-cache.js'
import { DELETE, EXTEND, LOCK, READ, UNLOCK, WRITE } from './scripts.js'

export interface RedisStoreOptions {
  /**
   * Your ioredis client (`Redis` or `Cluster`). The store never connects, quits or disconnects
   * it, and adds no listeners beyond a one-off `ready` while it waits for a connection.
   */
  client: Redis | Cluster
  /** Prefix of every key the store writes. Default `carrier-auth:`. */
  keyPrefix?: string
  /** Encrypts a token's JSON before it is written (tokens at rest). Pass `decrypt` with it. */
  encrypt?: Encrypt
  /** Reverses `encrypt`. A value it cannot read counts as absent (the next caller refetches). */
  decrypt?: Decrypt
  /** Longest a store call waits on Redis, connecting included. Default 500 ms. */
  commandTimeoutMs?: number
  /** Longest pause between two tries of a taken lock (backoff with jitter up to this). Default 100 ms. */
  lockPollMs?: number
  /** Longest an entry stays in the in-memory layer; it never outlives the Redis entry. Default 5000 ms. */
  memoryTtlMs?: number
  /** Time source of the in-memory layer (tests). Default `Date.now`. */
  clock?: Clock
}

/** The Redis keys behind one cache key. */
export interface RedisKeys {
  /** Hash: `v` (version), `fp` (token fingerprint), `data` (token JSON, or ciphertext), `enc`. */
  token: string
  /** Integer: the key's version counter (outlives the entry so versions never repeat). */
  version: string
  /** String: the owner token of the fleet lock. */
  lock: string
  /** String: a marker's number (the credentials cooldown). */
  marker: string
}

/** A `TokenStore` over Redis, with the fleet-wide lock. */
export interface RedisStore extends TokenStore {
  lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock>
  /** Counters: commands sent, timeouts, in-memory hits, lock waits. */
  readonly stats: Readonly<RedisStoreStats>
  /** The Redis keys this store uses for a cache key. */
  redisKeys(key: string): RedisKeys
}

const DEFAULT_PREFIX = 'carrier-auth:'
const DEFAULT_COMMAND_TIMEOUT_MS = 500
const DEFAULT_LOCK_POLL_MS = 100
const DEFAULT_MEMORY_TTL_MS = 5000
/** After a timeout or a failed connect, calls fail at once for this long (then Redis is tried again). */
const SUSPEND_MS = 1000
/** First pause of a lock waiter; it doubles up to `lockPollMs`. */
const FIRST_POLL_MS = 5
/** A waiter gives up this long after the lock's lifetime (it would have expired by then). */
const LOCK_GRACE_MS = 1000
/** The version counter lives at least this long after the key's last write. */
const VERSION_TTL_MS = 30 * 24 * 3_600_000
/** Largest TTL sent to Redis (PX is a 64-bit integer; keep it a safe JS integer). */
const MAX_TTL_MS = 2 ** 47

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`createRedisStore: ${name} must be a positive number of milliseconds.`)
  }
  return value
}

function ttlOf(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs)) throw new TypeError('A TTL must be a number of milliseconds.')
  return Math.min(MAX_TTL_MS, Math.max(1, Math.floor(ttlMs)))
}


class RedisTokenStore implements RedisStore {
  readonly #commands: Commands
  readonly #local: LocalCache
  readonly #prefix: string
  readonly #encrypt: Encrypt | undefined
  readonly #decrypt: Decrypt | undefined
  readonly #lockPollMs: number
  readonly #keys = new Map<string, RedisKeys>()
  readonly #reads = new Map<string, Promise<StoreEntry | undefined>>()

  constructor(options: RedisStoreOptions) {
    if (!options || typeof options.client !== 'object' || options.client === null) {
      throw new TypeError('createRedisStore needs { client }: an ioredis Redis or Cluster instance.')
    }
    if ((options.encrypt === undefined) !== (options.decrypt === undefined)) {
      throw new TypeError('createRedisStore: pass encrypt and decrypt together, or neither.')
    }
    const clock = options.clock ?? { now: () => Date.now() }
    this.#commands = new Commands(
      options.client as unknown as RedisLike,
      positive('commandTimeoutMs', options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS),
      SUSPEND_MS,
    )
    this.#local = new LocalCache(() => clock.now(), positive('memoryTtlMs', options.memoryTtlMs, DEFAULT_MEMORY_TTL_MS))
    this.#prefix = options.keyPrefix ?? DEFAULT_PREFIX
    this.#encrypt = options.encrypt
    this.#decrypt = options.decrypt
    this.#lockPollMs = Math.max(FIRST_POLL_MS, positive('lockPollMs', options.lockPollMs, DEFAULT_LOCK_POLL_MS))
  }

  get stats(): Readonly<RedisStoreStats> {
    return { ...this.#commands.stats }
  }

  redisKeys(key: string): RedisKeys {
    let keys = this.#keys.get(key)
    if (!keys) {
      // Core's keys hold a hash of the secret, never the secret; hashing again keeps Redis keys
      // short and free of client ids. `{…}` is a Cluster hash tag: all of a key's parts share a slot.
      const id = createHash('sha256').update(key).digest('hex').slice(0, 32)
      const base = `${this.#prefix}{${id}}`
      keys = { token: `${base}:token`, version: `${base}:version`, lock: `${base}:lock`, marker: `${base}:marker` }
      this.#keys.set(key, keys)
    }
    return keys
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    const local = this.#local.get(key)
    if (local) {
      this.#commands.stats.localHits++
      return local
    }
    this.#commands.stats.localMisses++
    // Concurrent misses of one key share one read (a burst after the in-memory copy expires).
    let reading = this.#reads.get(key)
    if (!reading) {
      const read: Promise<StoreEntry | undefined> = this.#read(key).finally(() => {
        if (this.#reads.get(key) === read) this.#reads.delete(key)
      })
      this.#reads.set(key, (reading = read))
    }
    const entry = await reading
    return entry && { token: { ...entry.token }, version: entry.version }
  }

  /** Drops the in-memory copy and any read in flight: the next get reads Redis afresh. */
  #forget(key: string) {
    this.#local.invalidate(key)
    this.#reads.delete(key)
  }

  async #read(key: string): Promise<StoreEntry | undefined> {
    const generation = this.#local.generation(key)
    const reply = await this.#commands.script('get', READ, [this.redisKeys(key).token], [])
    if (!Array.isArray(reply)) return undefined
    const [version, data, enc, pttl] = reply as [unknown, unknown, unknown, unknown]
    const token = typeof data === 'string' ? await decode(data, typeof enc === 'string' ? enc : '', this.#decrypt) : undefined
    const v = Number(version)
    if (!token || !Number.isSafeInteger(v)) return undefined
    const ttl = Number(pttl)
    // -1: no TTL (written by something else); remember it for the in-memory layer's own limit only.
    if (ttl > 0 || ttl === -1) this.#local.put(key, token, v, ttl === -1 ? Infinity : ttl, generation)
    return { token, version: v }
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<number> {
    return this.#write('set', key, token, ttlMs, '') as Promise<number>
  }

  compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number): Promise<number | undefined> {
    return this.#write('compareAndSet', key, token, ttlMs, String(expectedVersion))
  }

  async #write(operation: string, key: string, token: StoredToken, ttlMs: number, expected: string): Promise<number | undefined> {
    const ttl = ttlOf(ttlMs)
    const { data, enc } = await encode(token, this.#encrypt)
    const keys = this.redisKeys(key)
    this.#forget(key)
    const generation = this.#local.generation(key)
    const reply = await this.#commands.script(operation, WRITE, [keys.token, keys.version], [ttl, Math.max(ttl, VERSION_TTL_MS), fingerprint(token.accessToken), data, enc, expected])
    if (reply === null || reply === undefined) return undefined
    const version = Number(reply)
    this.#local.put(key, token, version, ttl, generation)
    return version
  }

  async delete(key: string, onlyIfAccessToken?: string): Promise<void> {
    this.#forget(key)
    await this.#commands.script('delete', DELETE, [this.redisKeys(key).token], [onlyIfAccessToken === undefined ? '' : fingerprint(onlyIfAccessToken)])
  }

  async getMarker(key: string): Promise<number | undefined> {
    const reply = await this.#commands.command('getMarker', 'get', [this.redisKeys(key).marker])
    if (reply === null || reply === undefined) return undefined
    const value = Number(reply)
    return Number.isFinite(value) ? value : undefined
  }

  async setMarker(key: string, value: number, ttlMs: number): Promise<void> {
    await this.#commands.command('setMarker', 'set', [this.redisKeys(key).marker, String(value), 'PX', ttlOf(ttlMs)])
  }

  /**
   * The fleet lock: SET NX PX with a random owner token, released by a compare-and-delete, so a
   * lock is only ever released by its owner and a holder that dies holds it for `ttlMs` at most.
   * Waiters try again after a pause that doubles from 10 ms up to `lockPollMs`, with jitter, and
   * never later than the holder's remaining lifetime (a dead holder's lock is taken as it expires).
   * A waiter gives up (throws `lock_timeout`) once the lock has been taken for longer than any
   * holder could keep it; the provider then fetches on its own.
   */
  async lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const ttl = ttlOf(ttlMs)
    const lockKey = this.redisKeys(key).lock
    const owner = randomBytes(18).toString('base64url')
    const giveUpAt = performance.now() + ttl + LOCK_GRACE_MS
    const unlock = () => this.#commands.script('unlock', UNLOCK, [lockKey], [owner])
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason
      const reply = await this.#commands.script('lock', LOCK, [lockKey], [owner, ttl], (late) => {
        // This try timed out but went through later: the lock is ours and nobody will use it.
        if (Array.isArray(late) && Number(late[0]) === 1) unlock().catch(() => {})
      })
      const [taken, pttl] = Array.isArray(reply) ? [Number(reply[0]), Number(reply[1])] : [0, -2]
      if (taken === 1) {
        // The holder before us may have written a new entry: the next read must go to Redis.
        this.#forget(key)
        let released = false
        return {
          release: async () => {
            if (released) return
            released = true
            await unlock()
          },
          extend: async (ms: number) => {
            if (released) return false
            const renewed = await this.#commands.script('extend', EXTEND, [lockKey], [owner, ttlOf(ms)])
            return Number(renewed) === 1
          },
        }
      }
      this.#commands.stats.lockWaits++
      const ceiling = Math.min(this.#lockPollMs, FIRST_POLL_MS * 2 ** attempt)
      let delay = ceiling / 2 + (Math.random() * ceiling) / 2
      if (pttl >= 0) delay = Math.min(delay, pttl + 1)
      else if (pttl === -2) delay = 0 // released between our SET and PTTL: try again now
      if (performance.now() + delay > giveUpAt) {
        throw new RedisStoreError(`The fleet lock stayed taken for longer than its ${ttl} ms lifetime; going on without it.`, 'lock_timeout', 'lock')
      }
      await timerSleep(delay, signal)
    }
  }

  /** Never shows the client (its options may hold a password). */
  toJSON() {
    return { store: 'redis', keyPrefix: this.#prefix }
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `RedisStore ${JSON.stringify(this.toJSON())}`
  }
}

/**
 * A `TokenStore` on Redis: one token for a whole fleet, fleet-wide single flight, a small
 * in-memory layer in front, and every command bounded by `commandTimeoutMs` so that a slow or
 * unreachable Redis makes calls fail fast (the provider then fetches on its own).
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  return new RedisTokenStore(options)
}
