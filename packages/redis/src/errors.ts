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
 * What every failed store call throws. The provider turns it into a `store_unavailable` event
 * and carries on without the store. It never carries command arguments (tokens), and no `cause`
 * (ioredis errors can hold the command's arguments).
 */
export class RedisStoreError extends Error {
  override readonly name = 'RedisStoreError'
  readonly code: RedisStoreErrorCode
  /** The store operation: get, set, compareAndSet, delete, lock, unlock, getMarker, setMarker. */
  readonly operation: string

  constructor(message: string, code: RedisStoreErrorCode, operation: string) {
    super(message)
    this.code = code
    this.operation = operation
  }
}

/** The message of an error from ioredis, without anything that could hold a value. */
export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.slice(0, 200)
}
