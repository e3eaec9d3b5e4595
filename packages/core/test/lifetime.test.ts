import { describe, expect, test } from 'vitest'
import { datedToken, freshnessOf } from '../src/lifetime.js'

const SENT = Date.UTC(2026, 0, 1, 12)
const HOUR = 3_600_000

describe('datedToken', () => {
  test.each([
    ['no issue time: the lifetime runs from when the request was sent', {}, undefined, SENT, SENT + HOUR],
    ['issued just now by the server, Date agrees', { serverIssuedAt: SENT }, SENT, SENT, SENT + HOUR],
    ['a reissued token, 20 minutes old by the server clock', { serverIssuedAt: SENT - 20 * 60_000 }, SENT, SENT - 20 * 60_000, SENT + 40 * 60_000],
    ['server clock 2 hours ahead, Date agrees with issuedAt', { serverIssuedAt: SENT + 2 * HOUR }, SENT + 2 * HOUR, SENT, SENT + HOUR],
    ['server clock 2 hours behind and no Date header: skew, not age', { serverIssuedAt: SENT - 2 * HOUR }, undefined, SENT, SENT + HOUR],
    ['an issue time after the Date header (skew between server machines)', { serverIssuedAt: SENT + 5000 }, SENT, SENT, SENT + HOUR],
    ['an age beyond the lifetime is capped at the lifetime', { serverIssuedAt: SENT - 3 * HOUR }, SENT, SENT - HOUR, SENT],
  ])('%s', (_name, fields, serverDate, issuedAt, expiresAt) => {
    const token = datedToken({ accessToken: 't', expiresInMs: HOUR, ...fields }, SENT, serverDate, 99)
    expect({ issuedAt: token.issuedAt, expiresAt: token.expiresAt }).toEqual({ issuedAt, expiresAt })
  })

  test('a missing lifetime takes the default', () => {
    expect(datedToken({ accessToken: 't' }, SENT, undefined, 5000).expiresAt).toBe(SENT + 5000)
  })
})

describe('freshnessOf', () => {
  test.each([
    ['a one-hour token, 60 s buffer, 5 min ahead', HOUR, 60_000, 5 * 60_000, HOUR - 60_000, HOUR - 5 * 60_000],
    ['a 60 s token: the buffer is capped at half', 60_000, 60_000, 0, 30_000, 30_000],
    ['refresh-ahead never before half the lifetime', HOUR, 60_000, 10 * HOUR, HOUR - 60_000, HOUR / 2],
    ['DHL: 60 min, 30 min ahead → refresh at 30 min', HOUR, 60_000, 30 * 60_000, HOUR - 60_000, 30 * 60_000],
  ])('%s', (_name, lifetime, buffer, ahead, freshUntil, refreshAt) => {
    expect(freshnessOf({ issuedAt: 0, expiresAt: lifetime }, buffer, ahead)).toEqual({ freshUntil, refreshAt })
  })
})
