import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { CarrierAuthError, type CarrierAuthErrorCode } from '../src/index.js'

const make = (code: CarrierAuthErrorCode, extra: Partial<ConstructorParameters<typeof CarrierAuthError>[1]> = {}) =>
  new CarrierAuthError('Posti said no.', { code, carrier: 'posti', ...extra })

describe('CarrierAuthError', () => {
  test.each<[CarrierAuthErrorCode, boolean]>([
    ['rate_limited', true],
    ['server_error', true],
    ['network_error', true],
    ['timeout', true],
    ['invalid_credentials', false],
    ['credentials_cooldown', false],
    ['invalid_response', false],
    ['invalid_grant', false],
    ['state_mismatch', false],
    ['invalid_config', false],
    ['store_unavailable', false],
  ])('%s: retryable is %s', (code, retryable) => {
    expect(make(code).retryable).toBe(retryable)
  })

  test('JSON has its facts, in this order, and neither its response nor its body', () => {
    const error = make('server_error', { environment: 'qa', status: 503, oauthError: 'temporarily_unavailable', retryAfterMs: 5, attempts: 2, body: { x: 1 }, response: new Response(null) })
    expect(JSON.stringify(error)).toBe(
      '{"name":"CarrierAuthError","code":"server_error","message":"Posti said no.","carrier":"posti","environment":"qa","status":503,"oauthError":"temporarily_unavailable","retryable":true,"retryAfterMs":5,"attempts":2}',
    )
    expect(Object.keys(error)).not.toContain('response')
    expect(Object.keys(error)).not.toContain('body')
    expect(error.body).toEqual({ x: 1 })
  })

  test('as a string: name, code and message', () => {
    expect(String(make('timeout'))).toBe('CarrierAuthError [timeout]: Posti said no.')
  })

  test('inspected: the string, the JSON, the cause by name and message, then the stack', () => {
    const error = make('network_error', { cause: new TypeError('fetch failed') })
    const text = inspect(error)
    expect(text.split('\n')[0]).toBe(`CarrierAuthError [network_error]: Posti said no. ${JSON.stringify(error.toJSON())}`)
    expect(text.split('\n')[1]).toBe('  cause: TypeError: fetch failed')
    expect(text.split('\n')[2]).toMatch(/^\s+at /)
    expect(error.cause).toBeInstanceOf(TypeError)
  })

  test('without a cause, inspect shows none, and the error has no cause property', () => {
    const error = make('timeout')
    expect(inspect(error)).not.toContain('cause:')
    expect(inspect(error).split('\n').slice(1)).toEqual(error.stack!.split('\n').slice(1))
    expect('cause' in error).toBe(false)
    expect(inspect(error).split('\n')[1]).toMatch(/^\s+at /)
  })

  test('a cause that is not an Error is kept but not shown', () => {
    const error = make('network_error', { cause: 'ECONNRESET' })
    expect(error.cause).toBe('ECONNRESET')
    expect(inspect(error).split('\n')[0]).toBe(`CarrierAuthError [network_error]: Posti said no. ${JSON.stringify(error.toJSON())}`)
    expect(inspect(error).split('\n')[1]).toMatch(/^\s+at /)
  })

  test('an error whose stack was taken away still inspects, ending with a bare line', () => {
    const error = make('timeout')
    Object.defineProperty(error, 'stack', { value: undefined })
    expect(inspect(error)).toBe(`CarrierAuthError [timeout]: Posti said no. ${JSON.stringify(error.toJSON())}\n`)
  })

  test('StoreError.isInstance is false for null and undefined', async () => {
    const { StoreError } = await import('../src/index.js')
    expect(StoreError.isInstance(null)).toBe(false)
    expect(StoreError.isInstance(undefined)).toBe(false)
  })

  test('isInstance: by its brand, for objects only', () => {
    expect(CarrierAuthError.isInstance(make('timeout'))).toBe(true)
    expect(CarrierAuthError.isInstance(Object.create(make('timeout')))).toBe(true)
    expect(CarrierAuthError.isInstance(new Error('x'))).toBe(false)
    expect(CarrierAuthError.isInstance({ name: 'CarrierAuthError', code: 'timeout' })).toBe(false)
    expect(CarrierAuthError.isInstance(null)).toBe(false)
    expect(CarrierAuthError.isInstance(undefined)).toBe(false)
    // A spread copy is plain data: the brand does not travel with it.
    expect(CarrierAuthError.isInstance({ ...make('timeout') })).toBe(false)
    expect(CarrierAuthError.isInstance('CarrierAuthError')).toBe(false)
    expect(CarrierAuthError.isInstance({ [Symbol.for('@carrier-auth/core.CarrierAuthError')]: 'yes' })).toBe(false)
  })
})
