import { expect, test } from 'vitest'
import { carriers } from '../../src/carriers.js'
import { liveTarget } from '../../src/runner/run-matrix.js'

// Packly's profile declares `scope` optional; its live variables do not list it, so a carrier
// that does (a sixth carrier's merchant id) is Packly with one more variable.
const packly = carriers.find((c) => c.name === 'packly')!
const withScopeVariable = { ...packly, live: { ...packly.live, variables: { ...packly.live.variables, scope: 'PACKLY_SCOPE' } } }

test('--live runs a carrier whose optional credential is not set, without it', () => {
  const target = liveTarget(withScopeVariable, { PACKLY_CLIENT_ID: 'id', PACKLY_CLIENT_SECRET: 'secret' })
  expect(target).toMatchObject({ kind: 'live', credentials: { clientId: 'id', clientSecret: 'secret' } })
})

test('--live still has no target when a required credential is not set', () => {
  const target = liveTarget(withScopeVariable, { PACKLY_CLIENT_ID: 'id', PACKLY_SCOPE: 'external' })
  expect(target).toMatchObject({ kind: 'live', credentials: undefined })
})
