import { StoreError } from '@carrier-auth/core'

/** Why a Redis store call failed. */
export type RedisStoreErrorCode =
  /** Redis did not answer within `commandTimeoutMs`. */
  | 'timeout'
  /** The client is not connected (and did not connect within `commandTimeoutMs`). */
  | 'unavailable'
  /** The client was closed with `quit()` / `disconnect()`. */
  | 'closed'
  /** Redis answered with an error. */
  | 'command_failed'
  /** The fleet lock was not free within the lock's lifetime. */
  | 'lock_timeout'

/**
 * What every failed Redis store call throws: core's `StoreError` with Redis's codes. Its
 * operation is one of get, set, compareAndSet, delete, lock, unlock, getMarker, setMarker. No
 * `cause`: ioredis errors can hold the command's arguments (tokens).
 */
export class RedisStoreError extends StoreError<RedisStoreErrorCode> {
  override readonly name = 'RedisStoreError'
}
