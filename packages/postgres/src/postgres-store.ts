import { randomBytes } from 'node:crypto'
import { type StoredToken, type StoredTokenCodec, type StoreEntry, type StoreLock, storedTokenCodec, type TokenSealing, type TokenStore, timerSleep } from '@carrier-auth/core'
import { PostgresStoreError } from './errors.js'
import { tableNames } from './migration.js'
import { type PoolLike, type PostgresStoreStats, Queries } from './queries.js'
import { fingerprint, rowKey } from './row-keys.js'
import { type Statements, statements } from './statements.js'

/** `encrypt` / `decrypt` (from `TokenSealing`) seal tokens at rest. */
export interface PostgresStoreOptions extends TokenSealing {
  /**
   * Your `pg` Pool (or anything with its `connect()`). The store never ends it and adds no
   * listeners: give the pool an `error` listener of your own, as pg asks of every pool.
   */
  pool: PoolLike
  /** Schema of the store's tables. Default `public`. */
  schema?: string
  /** Prefix of the table names (`<table>_tokens`, `_markers`, `_locks`). Default `carrier_auth`. */
  table?: string
  /** Longest a store call waits on PostgreSQL, getting a pooled connection included. Default 500 ms. */
  queryTimeoutMs?: number
  /** Longest pause between two tries of a taken lock (backoff with jitter up to this). Default 50 ms. */
  lockPollMs?: number
  /** How often the store deletes expired rows (on the back of a write). Default 10 minutes. */
  cleanupIntervalMs?: number
}

/** A `TokenStore` on PostgreSQL, with the fleet-wide lease lock. */
export interface PostgresStore extends TokenStore {
  lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock>
  /** Deletes expired entries, markers and leases now (the store also does it every `cleanupIntervalMs`). */
  cleanup(): Promise<void>
  /** Counters: queries sent, timeouts, calls failed fast, lock waits. */
  readonly stats: Readonly<PostgresStoreStats>
}

const DEFAULT_QUERY_TIMEOUT_MS = 500
const DEFAULT_LOCK_POLL_MS = 50
const DEFAULT_CLEANUP_INTERVAL_MS = 10 * 60_000
/** After a timeout or a refused connection, calls fail at once for this long. */
const SUSPEND_MS = 1000
const FIRST_POLL_MS = 5
/** A waiter gives up this long after the lock's lifetime (a dead holder's lease is over by then). */
const LOCK_GRACE_MS = 1000
/** A key's row (its version) lives at least this long after its last write. */
const VERSION_TTL_MS = 30 * 24 * 3_600_000
/** Largest TTL sent (an interval of ms; keep it a safe integer). */
const MAX_TTL_MS = 2 ** 47

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`createPostgresStore: ${name} must be a positive number of milliseconds.`)
  }
  return value
}

function ttlOf(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs)) throw new TypeError('A TTL must be a number of milliseconds.')
  return Math.min(MAX_TTL_MS, Math.max(1, Math.floor(ttlMs)))
}

class PostgresTokenStore implements PostgresStore {
  readonly #queries: Queries
  readonly #sql: Statements
  readonly #where: string
  readonly #codec: StoredTokenCodec
  readonly #lockPollMs: number
  readonly #cleanupIntervalMs: number
  #nextCleanup = 0

  constructor(options: PostgresStoreOptions) {
    if (!options || typeof options.pool?.connect !== 'function') {
      throw new TypeError('createPostgresStore needs { pool }: a pg Pool.')
    }
    this.#codec = storedTokenCodec('createPostgresStore', options)
    const schema = options.schema ?? 'public'
    const table = options.table ?? 'carrier_auth'
    this.#sql = statements(tableNames(schema, table))
    this.#where = `${schema}.${table}_*`
    this.#queries = new Queries(options.pool, positive('queryTimeoutMs', options.queryTimeoutMs, DEFAULT_QUERY_TIMEOUT_MS), SUSPEND_MS)
    this.#lockPollMs = Math.max(FIRST_POLL_MS, positive('lockPollMs', options.lockPollMs, DEFAULT_LOCK_POLL_MS))
    this.#cleanupIntervalMs = positive('cleanupIntervalMs', options.cleanupIntervalMs, DEFAULT_CLEANUP_INTERVAL_MS)
  }

  get stats(): Readonly<PostgresStoreStats> {
    return { ...this.#queries.stats }
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    const [row] = await this.#queries.run('get', this.#sql.get, [rowKey(key)])
    if (!row) return undefined
    const token = await this.#codec.decode(row.data, row.sealed === true)
    const version = Number(row.version)
    return token && Number.isSafeInteger(version) ? { token, version } : undefined
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<number> {
    return this.#write('set', this.#sql.set, key, token, ttlMs, []) as Promise<number>
  }

  async compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number): Promise<number | undefined> {
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) throw new TypeError('compareAndSet: expectedVersion must be a version (0 = absent).')
    return expectedVersion === 0
      ? this.#write('compareAndSet', this.#sql.setIfAbsent, key, token, ttlMs, [])
      : this.#write('compareAndSet', this.#sql.setIfVersion, key, token, ttlMs, [expectedVersion])
  }

  async #write(operation: string, sql: string, key: string, token: StoredToken, ttlMs: number, extra: unknown[]): Promise<number | undefined> {
    const ttl = ttlOf(ttlMs)
    const { data, sealed } = await this.#codec.encode(token)
    const rows = await this.#queries.run(operation, sql, [rowKey(key), fingerprint(token.accessToken), data, sealed, ttl, Math.max(ttl, VERSION_TTL_MS), ...extra])
    this.#cleanupNowAndThen()
    return rows[0] ? Number(rows[0].version) : undefined
  }

  async delete(key: string, onlyIfAccessToken?: string): Promise<void> {
    if (onlyIfAccessToken === undefined) await this.#queries.run('delete', this.#sql.delete, [rowKey(key)])
    else await this.#queries.run('delete', this.#sql.deleteIfToken, [rowKey(key), fingerprint(onlyIfAccessToken)])
  }

  async getMarker(key: string): Promise<number | undefined> {
    const [row] = await this.#queries.run('getMarker', this.#sql.getMarker, [rowKey(key)])
    const value = row ? Number(row.value) : Number.NaN
    return Number.isFinite(value) ? value : undefined
  }

  async setMarker(key: string, value: number, ttlMs: number): Promise<void> {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('setMarker: the value must be a finite number.')
    await this.#queries.run('setMarker', this.#sql.setMarker, [rowKey(key), value, ttlOf(ttlMs)])
  }

  /**
   * The fleet lock: a lease row per key (owner token + expiry by the server's clock), taken with
   * one atomic upsert that succeeds only when the row is free or its lease has run out. Waiters
   * try again after a pause that doubles from 5 ms up to `lockPollMs`, with jitter, and never
   * later than the holder's remaining lease. A failed query ends `lock()` at once (bounded by
   * `queryTimeoutMs`); waiting on a taken lock ends `ttlMs` + 1 s after it began (`lock_timeout`).
   */
  async lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const ttl = ttlOf(ttlMs)
    const lockKey = rowKey(key)
    const owner = randomBytes(18).toString('base64url')
    const giveUpAt = performance.now() + ttl + LOCK_GRACE_MS
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason
      const [row] = await this.#queries.run('lock', this.#sql.lock, [lockKey, owner, ttl])
      if (row && Number(row.taken) === 1) return this.#lease(lockKey, owner)
      this.#queries.stats.lockWaits++
      const ceiling = Math.min(this.#lockPollMs, FIRST_POLL_MS * 2 ** attempt)
      let delay = ceiling / 2 + (Math.random() * ceiling) / 2
      const left = row?.left_ms === null || row?.left_ms === undefined ? Number.NaN : Number(row.left_ms)
      // No row: released between the upsert and the read; try again now.
      delay = Number.isNaN(left) ? 0 : Math.min(delay, Math.max(0, left) + 1)
      if (performance.now() + delay > giveUpAt) {
        throw new PostgresStoreError(`The fleet lock stayed taken for longer than its ${ttl} ms lifetime; going on without it.`, 'lock_timeout', 'lock')
      }
      await timerSleep(delay, signal)
    }
  }

  #lease(lockKey: string, owner: string): StoreLock {
    let released = false
    return {
      release: async () => {
        if (released) return
        released = true
        await this.#queries.run('unlock', this.#sql.unlock, [lockKey, owner])
      },
      extend: async (ms: number) => {
        if (released) return false
        const rows = await this.#queries.run('extend', this.#sql.extend, [lockKey, owner, ttlOf(ms)])
        return rows.length === 1
      },
    }
  }

  async cleanup(): Promise<void> {
    for (const sql of this.#sql.cleanup) await this.#queries.run('cleanup', sql, [])
  }

  /** Now and then, after a write: never awaited by the caller, failures only counted. */
  #cleanupNowAndThen() {
    const now = performance.now()
    if (now < this.#nextCleanup) return
    this.#nextCleanup = now + this.#cleanupIntervalMs
    this.cleanup().catch(() => {})
  }

  /** Never shows the pool (its options may hold a password). */
  toJSON() {
    return { store: 'postgres', tables: this.#where }
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `PostgresStore ${JSON.stringify(this.toJSON())}`
  }
}

/**
 * A `TokenStore` on PostgreSQL: one token for a whole fleet, compare-and-set versions for rotating
 * refresh tokens, a fleet-wide lease lock, and every call bounded by `queryTimeoutMs`, so a slow or
 * unreachable PostgreSQL makes calls fail fast (the provider then goes on without the store).
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresTokenStore(options)
}
