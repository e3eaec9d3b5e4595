import { createHash } from 'node:crypto'
import { refuseWhereRequestsHaveContexts, type Clock, type StoredToken, type StoredTokenCodec, type StoreEntry, type StoreLock, storedTokenCodec, type TokenSealing, type TokenStore } from '@carrier-auth/core'
import type { Cluster, Redis } from 'ioredis'
import { Commands, type RedisLike, type RedisStoreStats } from './commands.js'
import { takeLock } from './fleet-lock.js'
import { LocalCache } from './local-cache.js'
import { type Duplicable, ReleaseWaker } from './release-waker.js'
import { DELETE, READ, WRITE } from './scripts.js'
import { encFlag, fingerprint, isSealed } from './token-hash.js'
import { ttlOf } from './ttl.js'

/** `encrypt` / `decrypt` (from `TokenSealing`) seal tokens at rest. */
export interface RedisStoreOptions extends TokenSealing {
  /**
   * Your ioredis client (`Redis` or `Cluster`). The store never connects, quits or disconnects
   * it, and adds no listeners beyond one `ready` and one `close` while it waits for a connection
   * (removed after). While a lock waiter waits, the store opens a subscriber connection of its own
   * (`client.duplicate()`) and closes it when nobody waits.
   */
  client: Redis | Cluster
  /** Prefix of every key the store writes. Default `carrier-auth:`. */
  keyPrefix?: string
  /**
   * Longest a command waits for Redis's answer, once the client is connected. Default 500 ms. The
   * answer is measured, not the event loop: a reply that arrived while this process was busy counts.
   */
  commandTimeoutMs?: number
  /** Longest a call waits for a client that is not connected yet to become ready. Default 1000 ms. */
  connectTimeoutMs?: number
  /**
   * Longest pause between two tries of a taken lock when no release message can wake the waiter
   * (pub/sub unavailable). Default 100 ms.
   */
  lockPollMs?: number
  /** Longest an entry stays in the in-memory layer; it never outlives the Redis entry. Default 5000 ms. */
  memoryTtlMs?: number
  /**
   * How long a compare-and-set (a rotated refresh token) and a lock release are retried through
   * timeouts and a failover while the client stays connected. Set it above your cluster's failover
   * time (`cluster-node-timeout` plus a second or two). Default 5000 ms.
   */
  failoverRetryMs?: number
  /** Time source of the in-memory layer (tests). Default `Date.now`. */
  clock?: Clock
}

/** The Redis keys behind one cache key. */
export interface RedisKeys {
  /** Hash: `v` (version), `fp` (token fingerprint), `data` (token JSON, or ciphertext), `enc`. */
  token: string
  /** Integer: the key's version counter (outlives the entry so versions never repeat). */
  version: string
  /** String: the owner token of the fleet lock. Its release is published on `<lock>:released`. */
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
const DEFAULT_CONNECT_TIMEOUT_MS = 1000
const DEFAULT_LOCK_POLL_MS = 100
const DEFAULT_FAILOVER_RETRY_MS = 5000
const DEFAULT_MEMORY_TTL_MS = 5000
/** After a timeout or a failed connect, calls fail at once for this long (then Redis is tried again). */
const SUSPEND_MS = 1000
/** Shortest `lockPollMs`. */
const MIN_POLL_MS = 5
/** The version counter lives at least this long after the key's last write. */
const VERSION_TTL_MS = 30 * 24 * 3_600_000

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`createRedisStore: ${name} must be a positive number of milliseconds.`)
  }
  return value
}


class RedisTokenStore implements RedisStore {
  readonly #client: RedisLike
  readonly #commands: Commands
  readonly #waker: ReleaseWaker
  readonly #local: LocalCache
  readonly #prefix: string
  readonly #codec: StoredTokenCodec
  readonly #lockPollMs: number
  readonly #failoverRetryMs: number
  readonly #keys = new Map<string, RedisKeys>()
  readonly #reads = new Map<string, Promise<StoreEntry | undefined>>()

  constructor(options: RedisStoreOptions) {
    if (!options || typeof options.client !== 'object' || options.client === null) {
      throw new TypeError('createRedisStore needs { client }: an ioredis Redis or Cluster instance.')
    }
    this.#codec = storedTokenCodec('createRedisStore', options)
    const clock = options.clock ?? { now: () => Date.now() }
    this.#client = options.client as unknown as RedisLike
    const commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS)
    const connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS)
    this.#commands = new Commands(this.#client, commandTimeoutMs, connectTimeoutMs, SUSPEND_MS)
    this.#waker = new ReleaseWaker(options.client as unknown as Duplicable, commandTimeoutMs + connectTimeoutMs)
    this.#local = new LocalCache(() => clock.now(), positive('memoryTtlMs', options.memoryTtlMs, DEFAULT_MEMORY_TTL_MS))
    this.#prefix = options.keyPrefix ?? DEFAULT_PREFIX
    this.#failoverRetryMs = positive('failoverRetryMs', options.failoverRetryMs, DEFAULT_FAILOVER_RETRY_MS)
    this.#lockPollMs = Math.max(MIN_POLL_MS, positive('lockPollMs', options.lockPollMs, DEFAULT_LOCK_POLL_MS))
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
    const token = typeof data === 'string' ? await this.#codec.decode(data, isSealed(enc)) : undefined
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

  /** Retried through a failover for up to `failoverRetryMs`: it carries a rotated refresh token. */
  compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number): Promise<number | undefined> {
    return this.#write('compareAndSet', key, token, ttlMs, String(expectedVersion))
  }

  async #write(operation: string, key: string, token: StoredToken, ttlMs: number, expected: string): Promise<number | undefined> {
    const ttl = ttlOf(ttlMs)
    const { data, sealed } = await this.#codec.encode(token)
    const keys = this.redisKeys(key)
    this.#forget(key)
    const generation = this.#local.generation(key)
    const args = [ttl, Math.max(ttl, VERSION_TTL_MS), fingerprint(token.accessToken), data, encFlag(sealed), expected]
    const send = (options = {}) => this.#commands.script(operation, WRITE, [keys.token, keys.version], args, options)
    const reply = expected === '' ? await send() : await this.#commands.persistently(this.#failoverRetryMs, send)
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

  /** The fleet lock (see fleet-lock.ts): one holder at a time across the fleet, waiters woken on release. */
  lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const context = {
      commands: this.#commands,
      waker: this.#waker,
      lockPollMs: this.#lockPollMs,
      failoverRetryMs: this.#failoverRetryMs,
      connected: () => this.#client.status === 'ready',
      onAcquired: () => this.#forget(key),
    }
    return takeLock(context, this.redisKeys(key).lock, ttlOf(ttlMs), signal)
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
  refuseWhereRequestsHaveContexts(
    'The Redis store',
    "it keeps one TCP connection for all requests, and a Worker's I/O belongs to the request that opened it (a second request would hang or fail on it).",
  )
  return new RedisTokenStore(options)
}
