import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { AccessToken, fromStored, toStored } from '../src/index.js'

const T0 = Date.UTC(2026, 0, 1)
const full = { accessToken: 'at-secret-1', refreshToken: 'rt-secret-1', scope: 'orders', issuedAt: T0, expiresAt: T0 + 3_600_000 }

describe('AccessToken', () => {
  test('reads as a bearer token with its header, times and what is left of it', () => {
    const t = new AccessToken(full)
    expect([t.tokenType, t.accessToken, t.refreshToken, t.scope, t.authorizationHeader]).toEqual(['Bearer', 'at-secret-1', 'rt-secret-1', 'orders', 'Bearer at-secret-1'])
    expect(t.remainingMs(T0 + 1000)).toBe(3_599_000)
    expect(Object.isFrozen(t)).toBe(true)
  })

  test('JSON: the type, both tokens redacted, ISO times and the scope, in this order', () => {
    expect(JSON.stringify(new AccessToken(full))).toBe(
      '{"tokenType":"Bearer","accessToken":"[redacted]","expiresAt":"2026-01-01T01:00:00.000Z","issuedAt":"2026-01-01T00:00:00.000Z","scope":"orders","refreshToken":"[redacted]"}',
    )
  })

  test('JSON of a token without scope or refresh token has no such keys at all', () => {
    expect(Object.keys(new AccessToken({ accessToken: 'a', issuedAt: T0, expiresAt: T0 }).toJSON())).toEqual(['tokenType', 'accessToken', 'expiresAt', 'issuedAt'])
  })

  test('JSON of a token without scope or refresh token names neither', () => {
    expect(new AccessToken({ accessToken: 'a', issuedAt: T0, expiresAt: T0 }).toJSON()).toEqual({
      tokenType: 'Bearer',
      accessToken: '[redacted]',
      expiresAt: '2026-01-01T00:00:00.000Z',
      issuedAt: '2026-01-01T00:00:00.000Z',
    })
  })

  test('as a string and inspected: redacted, with its expiry', () => {
    const t = new AccessToken(full)
    expect(String(t)).toBe('AccessToken(Bearer [redacted], expires 2026-01-01T01:00:00.000Z)')
    expect(inspect(t)).toBe(`AccessToken ${JSON.stringify(t.toJSON())}`)
  })

  test('a time no Date can hold is shown as such', () => {
    const t = new AccessToken({ accessToken: 'a', issuedAt: Number.NaN, expiresAt: 1e300 })
    expect(t.toJSON()).toMatchObject({ expiresAt: 'an invalid time', issuedAt: 'an invalid time' })
    expect(String(t)).toBe('AccessToken(Bearer [redacted], expires an invalid time)')
  })
})

describe('the stored form', () => {
  test('is plain data with the raw values, in a stable order', () => {
    expect(Object.entries(toStored(new AccessToken(full)))).toEqual([
      ['accessToken', 'at-secret-1'],
      ['expiresAt', T0 + 3_600_000],
      ['issuedAt', T0],
      ['scope', 'orders'],
      ['refreshToken', 'rt-secret-1'],
    ])
  })

  test('leaves out a scope and a refresh token it does not have', () => {
    expect(toStored({ accessToken: 'a', issuedAt: 1, expiresAt: 2 })).toEqual({ accessToken: 'a', issuedAt: 1, expiresAt: 2 })
    expect(Object.keys(toStored({ accessToken: 'a', issuedAt: 1, expiresAt: 2 }))).toEqual(['accessToken', 'expiresAt', 'issuedAt'])
  })

  test('round-trips into an equal token', () => {
    const back = fromStored(toStored(new AccessToken(full)))
    expect(back).toBeInstanceOf(AccessToken)
    expect(toStored(back)).toEqual(toStored(new AccessToken(full)))
  })
})
