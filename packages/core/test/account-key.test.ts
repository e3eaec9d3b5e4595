import { describe, expect, test } from 'vitest'
import { accountKey } from '../src/index.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

describe('accountKey', () => {
  test('names carrier, base URL and client id, each URI-encoded, so no part can run into the next', () => {
    expect(accountKey({ carrier: 'po|sti', baseUrl: 'https://x.example/a b', clientId: 'id|1' })).toBe('carrier-auth|po%7Csti|https%3A%2F%2Fx.example%2Fa%20b|id%7C1')
  })

  test("is what a provider's own identity gives, without the secret", () => {
    const auth = createTestAuth({ baseUrl: 'https://token.example.com/v1/' })
    const key = accountKey({ carrier: auth.carrier, baseUrl: auth.baseUrl, clientId: 'client-1' })
    expect(key).toBe('carrier-auth|testcarrier|https%3A%2F%2Ftoken.example.com%2Fv1|client-1')
    expect(key).not.toContain(SECRET)
  })
})
