import { carriers } from '@carrier-auth/conformance'
import { expect, test } from 'vitest'
// A unit test of the pure credentials reader (the other tests drive the built binary): no carrier
// of the five lists an optional credential among its variables, a sixth one may.
import { credentialsFromEnv } from '../src/carrier-config.js'

const packly = carriers.find((c) => c.name === 'packly')!
const withScopeVariable = { ...packly, live: { ...packly.live, variables: { ...packly.live.variables, scope: 'PACKLY_SCOPE' } } }

test('an optional credential whose variable is unset is left out, not demanded', () => {
  expect(credentialsFromEnv(withScopeVariable, { PACKLY_CLIENT_ID: 'id', PACKLY_CLIENT_SECRET: 'secret' })).toEqual({ clientId: 'id', clientSecret: 'secret' })
})

test('a required credential whose variable is unset is still named as missing', () => {
  expect(() => credentialsFromEnv(withScopeVariable, { PACKLY_CLIENT_ID: 'id' })).toThrow(/PACKLY_CLIENT_SECRET is not set/)
})
