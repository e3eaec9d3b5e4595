import { describe, expect, test } from 'vitest'
import { constantTimeEqual, randomState } from '../src/index.js'

describe('authorization-code helpers', () => {
  test('randomState is 32 random bytes, URL-safe, different each time', () => {
    const states = new Set(Array.from({ length: 100 }, () => randomState()))
    expect(states.size).toBe(100)
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  test.each([
    ['equal strings', 'abc', 'abc', true],
    ['a different last character', 'abc', 'abd', false],
    ['a prefix', 'abc', 'ab', false],
    ['empty and non-empty', '', 'a', false],
    ['non-ASCII', 'ä-state', 'ä-state', true],
  ])('constantTimeEqual: %s', (_name, a, b, want) => {
    expect(constantTimeEqual(a, b)).toBe(want)
  })
})
