import { StoreError } from '@carrier-auth/core'

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
 * What every failed PostgreSQL store call throws: core's `StoreError` with PostgreSQL's codes.
 * Its operation is one of get, set, compareAndSet, delete, lock, extend, unlock, getMarker,
 * setMarker, cleanup, migrate. No `cause`: a driver error can hold the query's parameters (tokens).
 */
export class PostgresStoreError extends StoreError<PostgresStoreErrorCode> {
  override readonly name = 'PostgresStoreError'
}
