import { describe, expect, test } from 'vitest'
import { CarrierAuthError, createPacklyAuth, packlyProfile } from '../src/index.js'

describe('packly profile', () => {
  test.each([
    ['the doc response (lower-case bearer)', { token_type: 'bearer', access_token: 'AAAA%2FAAA%3DAAAAAAAA', expires_in: 3600 }],
    ['the doc example (capitalised Bearer)', { token_type: 'Bearer', access_token: '0ButNsIhWFngHJ8', expires_in: 3600 }],
  ])('reads %s, keeping the token opaque', (_name, body) => {
    expect(packlyProfile.readToken(body)).toMatchObject({ accessToken: body.access_token, expiresInMs: 3_600_000 })
  })

  test('scope defaults to external', () => {
    expect(packlyProfile.withDefaults?.({ clientId: 'a', clientSecret: 'b' })).toMatchObject({ scope: 'external' })
  })

  test('the sandbox has no public host, so it asks for baseUrl', () => {
    expect(() => createPacklyAuth({ clientId: 'a', clientSecret: 'b', environment: 'sandbox' })).toThrow(CarrierAuthError)
    expect(() => createPacklyAuth({ clientId: 'a', clientSecret: 'b', environment: 'sandbox' })).toThrow(/baseUrl/)
  })
})
