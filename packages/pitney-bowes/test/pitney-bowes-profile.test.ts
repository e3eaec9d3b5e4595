import { describe, expect, test } from 'vitest'
import { pitneyBowesProfile } from '../src/index.js'

describe('pitney-bowes profile', () => {
  const doc = {
    access_token: 'm22wyEgfHlA0LudkGG9gG2xB04Cv',
    tokenType: 'BearerToken',
    issuedAt: '1456851460568',
    expiresIn: '35999',
    clientID: '3W8mOJ1Gh5lItmFCHzz82SZO9rc2EBwS',
    org: 'pitneybowes',
  }

  test.each([
    ['the doc sample (strings)', doc, { accessToken: doc.access_token, expiresInMs: 35_999_000, serverIssuedAt: 1456851460568 }],
    ['numbers instead of strings', { ...doc, expiresIn: 35999, issuedAt: 1456851460568 }, { expiresInMs: 35_999_000, serverIssuedAt: 1456851460568 }],
    ['a missing expiresIn', { ...doc, expiresIn: undefined }, { expiresInMs: undefined }],
    ['a non-numeric expiresIn (refused later as not a lifetime, never taken for a missing one)', { ...doc, expiresIn: 'ten hours' }, { expiresInMs: Number.NaN }],
  ])('reads %s', (_name, body, want) => {
    expect(pitneyBowesProfile.readToken(body)).toMatchObject(want)
  })

  test('a body without access_token is not a token', () => {
    expect(pitneyBowesProfile.readToken({ ...doc, access_token: undefined })).toBeUndefined()
  })
})
