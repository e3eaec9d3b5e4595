import { describeDriverError } from '@carrier-auth/core'
import { PostgresStoreError } from './errors.js'

/** What the store needs of a `pg` Pool: `connect()` handing out clients that `query` and `release`. */
export interface PoolLike {
  connect(): Promise<PoolClientLike>
}

export interface PoolClientLike {
  query(query: string | { text: string; values?: unknown[] }): Promise<{ rows: any[]; rowCount: number | null }>
  /** `release(true)` (or an error) destroys the connection instead of returning it to the pool. */
  release(destroy?: boolean | Error): void
  /** A checked-out pg client emits `error` (the server went away) with no listener of the pool's. */
  on?(event: 'error', listener: (error: Error) => void): unknown
  removeListener?(event: 'error', listener: (error: Error) => void): unknown
}

/**
 * While the store holds a client, it listens to the client's `error` event: pg leaves that to
 * whoever checked the client out, and an unheard `error` (PostgreSQL killed mid-query) would end
 * the process. The failed query rejects on its own; the listener only keeps the event heard.
 */
export function holding(client: PoolClientLike): (destroy?: boolean) => void {
  const heard = () => {}
  client.on?.('error', heard)
  return (destroy) => {
    client.removeListener?.('error', heard)
    client.release(destroy)
  }
}

/** Counters for metrics and tests. */
export interface PostgresStoreStats {
  /** Queries sent. */
  queries: number
  /** Calls that got no connection or answer within `queryTimeoutMs`. */
  timeouts: number
  /** Calls that failed at once because PostgreSQL was known to be down or slow. */
  failedFast: number
  /** Times a `lock` caller found the lock taken and waited. */
  lockWaits: number
}

/** SQLSTATE of a missing table or schema: the migration has not run. */
const NOT_MIGRATED = new Set(['42P01', '3F000'])

/**
 * Resolves `promise`, or settles `late` once `ms` have passed without an answer. A timer that
 * fires after an event-loop stall looks once more after pending I/O (setImmediate runs after the
 * poll phase), so an answer that arrived during the stall counts: the reply is measured, not the stall.
 */
function bounded<T>(promise: Promise<T>, ms: number): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | { late: true }> {
  return new Promise((resolve) => {
    let done = false
    const finish = (outcome: { ok: true; value: T } | { ok: false; error: unknown } | { late: true }) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const timer = setTimeout(() => setImmediate(() => finish({ late: true })), Math.max(0, ms))
    promise.then(
      (value) => finish({ ok: true, value }),
      (error: unknown) => finish({ ok: false, error }),
    )
  })
}

/**
 * Sends each store query on a pooled connection with one hard time limit, waiting for the
 * connection included. A connection handed out too late goes back to the pool unused; one whose
 * query timed out is destroyed (it may still be busy). After a timeout or a refused connection it
 * fails fast for `suspendMs`, so a dead PostgreSQL costs one timeout per `suspendMs`, not one per call.
 */
export class Queries {
  readonly stats: PostgresStoreStats = { queries: 0, timeouts: 0, failedFast: 0, lockWaits: 0 }
  #suspectUntil = 0

  constructor(
    private readonly pool: PoolLike,
    readonly timeoutMs: number,
    private readonly suspendMs: number,
  ) {}

  async run(operation: string, text: string, values: unknown[]): Promise<any[]> {
    if (performance.now() < this.#suspectUntil) {
      this.stats.failedFast++
      throw new PostgresStoreError(`PostgreSQL did not answer recently; not waiting on it again for up to ${this.suspendMs} ms.`, 'unavailable', operation)
    }
    const deadline = performance.now() + this.timeoutMs
    const connecting = Promise.resolve().then(() => this.pool.connect())
    const connected = await bounded(connecting, this.timeoutMs)
    if ('late' in connected) {
      connecting.then((client) => client.release(), () => {})
      throw this.#down(new PostgresStoreError(`No PostgreSQL connection within ${this.timeoutMs} ms (${operation}).`, 'timeout', operation), true)
    }
    if (!connected.ok) {
      throw this.#down(new PostgresStoreError(`PostgreSQL is unreachable (${operation}): ${describeDriverError(connected.error)}`, 'unavailable', operation), false)
    }
    const client = connected.value
    const release = holding(client)
    this.stats.queries++
    const answered = await bounded(client.query({ text, values }), deadline - performance.now())
    if ('late' in answered) {
      release(true)
      throw this.#down(new PostgresStoreError(`PostgreSQL did not answer ${operation} within ${this.timeoutMs} ms.`, 'timeout', operation), true)
    }
    if (answered.ok) {
      release()
      this.#suspectUntil = 0
      return answered.value.rows
    }
    const error = answered.error as { severity?: unknown; code?: unknown }
    if (typeof error?.severity === 'string') {
      // PostgreSQL answered: the connection is fine, the query was refused.
      release()
      const missing = NOT_MIGRATED.has(String(error.code))
      throw new PostgresStoreError(
        missing ? `The store's tables are missing (${operation}): run migrate(pool) or migrations/001-create-tables.sql first.` : `PostgreSQL refused ${operation}: ${describeDriverError(error)}`,
        missing ? 'not_migrated' : 'query_failed',
        operation,
      )
    }
    release(true)
    throw this.#down(new PostgresStoreError(`PostgreSQL connection failed (${operation}): ${describeDriverError(error)}`, 'unavailable', operation), false)
  }

  #down(error: PostgresStoreError, timedOut: boolean): PostgresStoreError {
    if (timedOut) this.stats.timeouts++
    this.#suspectUntil = performance.now() + this.suspendMs
    return error
  }
}
