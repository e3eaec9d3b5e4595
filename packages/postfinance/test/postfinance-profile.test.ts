import { describe, expect, test } from 'vitest'
import { postFinanceProfile } from '../src/index.js'

describe('postfinance profile', () => {
  test('reads the client-credentials answer', () => {
    expect(postFinanceProfile.readToken({ token_type: 'Bearer', expires_in: 43200, access_token: 'A' })).toEqual(
      expect.objectContaining({ accessToken: 'A', expiresInMs: 43_200_000, refreshToken: undefined }),
    )
  })

  test('reads the refresh token of an authorization-code or refresh answer', () => {
    expect(postFinanceProfile.readToken({ token_type: 'Bearer', expires_in: 43200, access_token: 'A', refresh_token: 'R' })).toMatchObject({
      refreshToken: 'R',
    })
  })

  test('the default lifetime is the documented 12 hours', () => {
    expect(postFinanceProfile.policy.defaultLifetimeMs).toBe(12 * 3_600_000)
  })
})
