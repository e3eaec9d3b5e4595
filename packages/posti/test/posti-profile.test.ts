import { describe, expect, test } from 'vitest'
import { createPostiAuth, postiProfile } from '../src/index.js'

describe('posti profile', () => {
  test.each([
    ['the doc example', { token_type: 'bearer', access_token: 'abc123', expires_in: 3599 }, { accessToken: 'abc123', expiresInMs: 3_599_000 }],
    ['no expires_in', { token_type: 'bearer', access_token: 'abc123' }, { accessToken: 'abc123', expiresInMs: undefined }],
    ['no access_token', { token_type: 'bearer', expires_in: 3599 }, undefined],
    ['a token type that is not bearer', { token_type: 'mac', access_token: 'abc123' }, undefined],
  ])('reads %s', (_name, body, want) => {
    expect(postiProfile.readToken(body)).toEqual(want === undefined ? undefined : expect.objectContaining(want))
  })

  test('never lets a caller retry rejected credentials more than 4 times an hour', () => {
    expect(postiProfile.policy.credentialsCooldownMs).toBeGreaterThan(15 * 60_000)
  })

  test.each([
    ['qa', 'https://oauth2.barium.posti.com'],
    ['uat', 'https://oauth2.barium.posti.com'],
    ['prod', 'https://oauth2.posti.com'],
  ] as const)('environment %s uses %s', (environment, baseUrl) => {
    expect(createPostiAuth({ username: 'u', password: 'p', environment }).baseUrl).toBe(baseUrl)
  })
})
