const BRAND = Symbol.for('@carrier-auth/core.StoreError')

/**
 * The base of what a failed store call throws (`RedisStoreError`, `PostgresStoreError`, yours).
 * The provider turns it into a `store_unavailable` event and carries on without the store. Its
 * message is built by the store, never from the command's arguments (tokens), and it carries no
 * `cause`: a driver's error can hold those arguments. Put a driver's words in the message only
 * through `describeDriverError`.
 */
export class StoreError<Code extends string = string> extends Error {
  override readonly name: string = 'StoreError'
  /** Why the call failed; each store lists its codes. */
  readonly code: Code
  /** The store operation that failed: get, set, compareAndSet, delete, lock, unlock, getMarker, setMarker, … */
  readonly operation: string

  constructor(message: string, code: Code, operation: string) {
    super(message)
    this.code = code
    this.operation = operation
    Object.defineProperty(this, BRAND, { value: true, enumerable: false })
  }

  /** True for a StoreError from any copy of core (a store that installed a core of its own included). */
  static isInstance(value: unknown): value is StoreError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

/**
 * The first line of a driver's error, cut to 200 characters: what went wrong, without the rest of
 * a long or multi-line message, where a value (a command's argument) could stand.
 */
export function describeDriverError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.slice(0, 200)
}
