import { describe, expect, test } from 'vitest'
import { createTestAuth } from './support/test-profile.js'

describe('configuration', () => {
  test.each([
    ['a missing secret', { clientSecret: '' }, /needs "clientSecret"/],
    ['a missing client id', { clientId: undefined as unknown as string }, /needs "clientId"/],
    ['no environment and no base URL', { baseUrl: undefined }, /Pass environment/],
    ['an environment without a public host', { baseUrl: undefined, environment: 'test' as const }, /publishes no host/],
    ['plain http to a remote host', { baseUrl: 'http://token.example.com' }, /must use https/],
    ['credentials in the URL', { baseUrl: 'https://user:pw@token.example.com' }, /must not carry credentials/],
    ['a negative timeout', { timeoutMs: -1 }, /timeoutMs/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs must be a positive/],
    ['an infinite retry count', { retry: { maxAttempts: Number.POSITIVE_INFINITY } }, /retry.maxAttempts/],
    ['a NaN retry delay', { retry: { baseDelayMs: Number.NaN } }, /retry.baseDelayMs/],
    ['a store that is not a TokenStore', { store: { get() {} } as never }, /store must be a TokenStore/],
    ['an onEvent that is not a function', { onEvent: 'log' as never }, /onEvent must be a function/],
    ['a clock without now()', { clock: { sleep: async () => {} } as never }, /clock must be an object with a now\(\)/],
    ['environment together with baseUrl', { environment: 'test' as const } as never, /either environment or baseUrl/],
    ['a fetch that is not a function', { fetch: {} as never }, /fetch must be a function/],
  ])('%s is an invalid_config error at construction', (_name, options, message) => {
    expect(() => createTestAuth({ baseUrl: 'https://token.example.com', ...options })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(message) }),
    )
  })

  test.each(['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9', 'https://token.example.com/base/'])(
    '%s is accepted',
    (baseUrl) => {
      expect(createTestAuth({ baseUrl }).baseUrl).toBe(baseUrl.replace(/\/$/, ''))
    },
  )

  test.each([
    ['an unknown environment', { baseUrl: undefined, environment: 'hunter2-pasted-here' as never }],
    ['a timeout that is a string', { timeoutMs: 'hunter2-pasted-here' as never }],
    ['an onEvent that is a string', { onEvent: 'hunter2-pasted-here' as never }],
  ])('%s: the message names the option, never its value', (_name, options) => {
    const error = (() => {
      try {
        createTestAuth({ baseUrl: 'https://token.example.com', ...options })
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toMatchObject({ code: 'invalid_config' })
    expect(error?.message).not.toContain('hunter2')
  })

  test('a config error never echoes the secret', () => {
    const error = (() => {
      try {
        createTestAuth({ baseUrl: 'http://remote.example.com', clientSecret: 'hunter2-hunter2' })
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.message).not.toContain('hunter2')
  })
})
