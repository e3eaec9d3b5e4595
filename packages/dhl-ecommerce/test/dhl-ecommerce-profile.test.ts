import { describe, expect, test } from 'vitest'
import { dhlEcommerceProfile } from '../src/index.js'

describe('dhl-ecommerce profile', () => {
  test('reads the doc sample', () => {
    const body = { access_token: 'OGH0T5hPVJ2oL0DYhRfYJgJMJYhC', client_id: 'G8PaGaNdIg5CS5q5mAibmJ9jywTFiO97', token_type: 'Bearer', expires_in: 3600 }
    expect(dhlEcommerceProfile.readToken(body)).toMatchObject({ accessToken: body.access_token, expiresInMs: 3_600_000 })
  })

  test.each([
    ['the doc bad response (400 problem+json)', 400, { type: 'https://api-sandbox.dhlecs.com/docs/errors/400.0000005', title: 'Invalid credentials' }, 'invalid_credentials'],
    ['a 401 with the same title', 401, { type: 'x', title: 'Invalid credentials' }, 'invalid_credentials'],
    ['another 400 problem', 400, { type: 'x', title: 'Invalid request' }, undefined],
  ])('classifies %s', (_name, status, body, want) => {
    expect(dhlEcommerceProfile.classifyError?.(status, body)).toBe(want)
  })

  test('refreshes 30 minutes ahead, as DHL advises (every 15 to 30 minutes)', () => {
    expect(dhlEcommerceProfile.policy.refreshAheadMs).toBe(30 * 60_000)
  })
})
