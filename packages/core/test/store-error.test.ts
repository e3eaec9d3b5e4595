import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { describeDriverError, StoreError } from '../src/index.js'

/** A store's own error class, as @carrier-auth/redis and @carrier-auth/postgres write theirs. */
class ExampleStoreError extends StoreError<'timeout' | 'unavailable'> {
  override readonly name = 'ExampleStoreError'
}

describe('StoreError', () => {
  test("a store's error class keeps its name, code and operation, and is a StoreError and an Error", () => {
    const error = new ExampleStoreError('Example did not answer get within 500 ms.', 'timeout', 'get')
    expect(error).toBeInstanceOf(ExampleStoreError)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'ExampleStoreError', code: 'timeout', operation: 'get', message: 'Example did not answer get within 500 ms.' })
    expect(String(error)).toBe('ExampleStoreError: Example did not answer get within 500 ms.')
    expect(error.cause).toBeUndefined()
  })

  test('isInstance knows a StoreError by its brand, not by the class of this copy of core', () => {
    const error = new ExampleStoreError('down', 'unavailable', 'set')
    expect(StoreError.isInstance(error)).toBe(true)
    expect(StoreError.isInstance(Object.create(error))).toBe(true)
    expect(StoreError.isInstance(new Error('down'))).toBe(false)
    expect(StoreError.isInstance({ name: 'StoreError', code: 'timeout', operation: 'get' })).toBe(false)
    expect(StoreError.isInstance(undefined)).toBe(false)
  })

  test('the brand is not enumerable: JSON and inspect show the name, code, operation and message only', () => {
    const error = new StoreError('down', 'unavailable', 'get')
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'StoreError', code: 'unavailable', operation: 'get' })
    expect(inspect(error)).not.toContain('@carrier-auth/core.StoreError')
  })
})

describe('describeDriverError', () => {
  test("a driver's message is kept to its first line", () => {
    expect(describeDriverError(new Error('ERR wrong type\n  command: HSET k data {"accessToken":"at-secret"}'))).toBe('ERR wrong type')
  })

  test("a driver's one-line message is cut to 200 characters", () => {
    const long = `connect ECONNREFUSED ${'x'.repeat(300)} at-secret`
    expect(describeDriverError(new Error(long))).toBe(long.slice(0, 200))
  })

  test('something thrown that is not an Error is described by its text', () => {
    expect(describeDriverError('socket closed')).toBe('socket closed')
  })
})
