import { describe, expect, test } from 'vitest'
import { datedToken } from '../src/lifetime.js'

const SENT = Date.UTC(2026, 0, 1, 12)
const MIN = 60_000
const HOUR = 60 * MIN

describe("a token's age, by the clocks there are", () => {
  test.each([
    ["server clock 10 min ahead, the token 20 min old by it: 20 min old", SENT + 10 * MIN - 20 * MIN, SENT + 10 * MIN, SENT - 20 * MIN],
    ['half a second old by the Date header: half a second old', SENT - 500, SENT, SENT - 500],
    ['no Date header, 2 min old by our clock: 2 min old', SENT - 2 * MIN, undefined, SENT - 2 * MIN],
    ['no Date header, exactly 5 min old by our clock: still believed', SENT - 5 * MIN, undefined, SENT - 5 * MIN],
    ['no Date header, 5 min and 1 ms old: skew, not age', SENT - 5 * MIN - 1, undefined, SENT],
  ])('%s', (_name, serverIssuedAt, serverDate, issuedAt) => {
    const token = datedToken({ accessToken: 't', expiresInMs: HOUR, serverIssuedAt }, SENT, serverDate, 99)
    expect({ issuedAt: token.issuedAt, expiresAt: token.expiresAt }).toEqual({ issuedAt, expiresAt: issuedAt + HOUR })
  })
})
