import { describe, expect, test } from 'vitest'
import { carriers } from '../../src/carriers.js'
import { factsOf } from '../../src/facts.js'
import { runCell } from '../../src/runner/cell.js'
import { catalogue } from '../../src/scenarios/index.js'
import { mutant } from '../support/mutant.js'

const byId = (id: string) => catalogue.find((s) => s.id === id)!

describe('oracles come from the specs, not from the package under test', () => {
  test.each(carriers.map((c) => [c.name, c] as const))("%s: the package's environments equal the spec's servers", (name, carrier) => {
    expect(carrier.environments).toEqual(factsOf(name).hosts)
  })

  test('a Posti package whose default lifetime is 7200 s fails expiry.default-lifetime', async () => {
    const wrong = mutant('posti', (p) => ({ policy: { ...p.policy, defaultLifetimeMs: 7_200_000 } }))
    const result = await runCell(byId('expiry.default-lifetime'), wrong, { kind: 'emulator' })
    expect(result).toMatchObject({ status: 'fail' })
    expect(result.detail).toMatch(/7200000/)
  })

  test('the same scenario passes with the real Posti package', async () => {
    const real = carriers.find((c) => c.name === 'posti')!
    expect(await runCell(byId('expiry.default-lifetime'), real, { kind: 'emulator' })).toMatchObject({ status: 'pass' })
  })

  test("the emulators issue the spec's documented lifetimes by default", () => {
    expect(carriers.map((c) => [c.name, factsOf(c.name).accessTokenLifetimeSeconds])).toEqual([
      ['posti', 3599],
      ['pitney-bowes', 35999],
      ['postfinance', 43200],
      ['packly', 3600],
      ['dhl-ecommerce', 3600],
    ])
  })
})
