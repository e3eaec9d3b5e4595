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

  test("the specs' facts hold the lifetimes the docs state", () => {
    // The five carriers whose docs this repository cites (the columns come in name order).
    expect(carriers.map((c) => [c.name, factsOf(c.name).accessTokenLifetimeSeconds])).toEqual(expect.arrayContaining([
      ['posti', 3599],
      ['pitney-bowes', 35999],
      ['postfinance', 43200],
      ['packly', 3600],
      ['dhl-ecommerce', 3600],
    ]))
  })

  test('a typo in a profile host (oauth2.posti.co) fails hosts.documented, naming the URL asked for', async () => {
    const typo = mutant('posti', (p) => ({ environments: { ...p.environments, prod: 'https://oauth2.posti.co' } }))
    const result = await runCell(byId('hosts.documented'), typo, { kind: 'emulator' })
    expect(result).toMatchObject({ status: 'fail' })
    expect(result.detail).toContain('https://oauth2.posti.co/oauth/token')
  })

  test("a DHL package refreshing 15 min ahead (a token lives 45 min) fails the doc's advice of ~15 to 30 min", async () => {
    const late = mutant('dhl-ecommerce', (p) => ({ policy: { ...p.policy, refreshAheadMs: 15 * 60_000 } }))
    expect(await runCell(byId('expiry.refresh-advice'), late, { kind: 'emulator' })).toMatchObject({ status: 'fail', detail: expect.stringMatching(/1800 s old/) })
    const real = carriers.find((c) => c.name === 'dhl-ecommerce')!
    expect(await runCell(byId('expiry.refresh-advice'), real, { kind: 'emulator' })).toMatchObject({ status: 'pass' })
  })

  test('hosts.documented passes with every real package', async () => {
    for (const carrier of carriers) expect(await runCell(byId('hosts.documented'), carrier, { kind: 'emulator' })).toMatchObject({ status: 'pass' })
  })
})
