import { createManualClock } from '@carrier-auth/core'
import { createPitneyBowesAuth } from '@carrier-auth/pitney-bowes'
import { describe, expect, test } from 'vitest'
import { startEmulator } from '../../src/emulators/index.js'

const HOUR = 3_600_000

describe("Pitney Bowes' lifetime from string expiresIn and ms issuedAt", () => {
  test.each([
    ['a server clock in step with ours', 0],
    ['a server clock 2 hours ahead', 2 * HOUR],
    ['a server clock 2 hours behind', -2 * HOUR],
  ])('with %s the token lives its full 35999 s', async (_name, skew) => {
    const clock = createManualClock(Date.UTC(2026, 5, 1))
    const emulator = await startEmulator('pitney-bowes', { clock: { now: () => clock.now() + skew } })
    try {
      const token = await createPitneyBowesAuth({ ...emulator.credentials, baseUrl: emulator.url, clock }).getToken()
      expect(token.issuedAt).toBe(clock.now())
      expect(token.expiresAt - token.issuedAt).toBe(35_999_000)
    } finally {
      await emulator.close()
    }
  })
})
