import { describe, expect, test } from 'vitest'
import { isVerified, MAX_VERIFIED, markVerified, sweepVerified, VERIFIED_MS, verifiedSize } from '../../src/verified-secrets.js'

describe('verified secrets', () => {
  test(`are bounded: past ${MAX_VERIFIED} the oldest are forgotten`, () => {
    const now = Date.now()
    for (let i = 0; i < MAX_VERIFIED + 500; i++) markVerified(`bounded-${i}`, 'tag', now)
    expect(verifiedSize()).toBe(MAX_VERIFIED)
    expect(isVerified('bounded-0', 'tag', now)).toBe(false)
    expect(isVerified(`bounded-${MAX_VERIFIED + 499}`, 'tag', now)).toBe(true)
  })

  test('none outlives its hour: a sweep after it leaves nothing', () => {
    const now = Date.now()
    markVerified('hourly', 'tag', now)
    sweepVerified(now + VERIFIED_MS)
    expect(isVerified('hourly', 'tag', now)).toBe(false)
    expect(verifiedSize()).toBe(0)
  })
})
