/** Why a PostgreSQL store call failed. */
export type PostgresStoreErrorCode =
  /** No answer within `queryTimeoutMs` (getting a connection included). */
  | 'timeout'
  /** No connection could be had: PostgreSQL refused it, or the pool did not hand one out in time. */
  | 'unavailable'
  /** The store's tables are missing: run `migrate(pool)` (or the shipped SQL) first. */
  | 'not_migrated'
  /** PostgreSQL answered with an error. */
  | 'query_failed'
  /** The fleet lock was not free within the lock's lifetime. */
  | 'lock_timeout'

/**
 * What every failed store call throws. The provider turns it into a `store_unavailable` event and
 * carries on without the store. It never carries query parameters (tokens) and no `cause` (a
 * driver error can hold them).
 */
export class PostgresStoreError extends Error {
  override readonly name = 'PostgresStoreError'
  readonly code: PostgresStoreErrorCode
  /** The store operation: get, set, compareAndSet, delete, lock, extend, unlock, getMarker, setMarker, cleanup, migrate. */
  readonly operation: string

  constructor(message: string, code: PostgresStoreErrorCode, operation: string) {
    super(message)
    this.code = code
    this.operation = operation
  }
}

/** The first line of a driver error, cut short: nothing that could hold a value. */
export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.slice(0, 200)
}
