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
