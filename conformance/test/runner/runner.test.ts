import { describe, expect, test } from 'vitest'
import { carriers } from '../../src/carriers.js'
import { runCell } from '../../src/runner/cell.js'
import { junitReport, markdownReport, textMatrix, toMatrix } from '../../src/runner/report.js'
import { scenario } from '../../src/scenarios/scenario.js'

const posti = carriers.find((c) => c.name === 'posti')!

describe('a matrix cell', () => {
  test('a scenario that throws is a FAIL with its message', async () => {
    const broken = scenario('demo.broken', 'always fails', async () => {
      throw new Error('expected 1 request, saw 2')
    })
    expect(await runCell(broken, posti, { kind: 'emulator' })).toMatchObject({ status: 'fail', detail: 'expected 1 request, saw 2' })
  })

  test('a scenario that leaks the token into an output is a FAIL, even when its assertions pass', async () => {
    const leaky = scenario('demo.leaky', 'logs the raw token', async (ctx) => {
      const token = ctx.seen(await ctx.auth().getToken())
      ctx.outputs.push({ log: `got ${token.accessToken}` })
    })
    const result = await runCell(leaky, posti, { kind: 'emulator' })
    expect(result.status).toBe('fail')
    expect(result.detail).toMatch(/^leaked a secret or token/)
  })

  test('a scenario that does not apply is n/a with its reason', async () => {
    const rotationOnly = scenario('demo.na', 'needs refresh tokens', async () => {}, { appliesTo: () => 'the carrier issues no refresh tokens' })
    expect(await runCell(rotationOnly, posti, { kind: 'emulator' })).toMatchObject({ status: 'n/a', detail: 'the carrier issues no refresh tokens' })
  })

  test('live, a carrier without credentials is n/a (no credentials)', async () => {
    const safe = scenario('demo.safe', 'reuse', async () => {})
    expect(await runCell(safe, posti, { kind: 'live', credentials: undefined, environment: 'qa' })).toMatchObject({ status: 'n/a', detail: 'no credentials' })
  })

  test('live, an emulator-only scenario never runs', async () => {
    const risky = scenario('demo.risky', 'wrong credentials', async () => {
      throw new Error('must not run')
    }, { emulatorOnly: true })
    const result = await runCell(risky, posti, { kind: 'live', credentials: { username: 'u', password: 'p' }, environment: 'qa' })
    expect(result.status).toBe('n/a')
  })
})

describe('reports', () => {
  const results = [
    { carrier: 'posti', scenario: 'reuse.sequential', title: 'reuse', status: 'pass' as const, durationMs: 3 },
    { carrier: 'packly', scenario: 'reuse.sequential', title: 'reuse', status: 'fail' as const, detail: 'saw <2> requests & more', durationMs: 4 },
    { carrier: 'posti', scenario: 'lockout.never-locks', title: 'lockout', status: 'pass' as const, durationMs: 5 },
    { carrier: 'packly', scenario: 'lockout.never-locks', title: 'lockout', status: 'n/a' as const, detail: 'no lockout', durationMs: 0 },
  ]
  const matrix = toMatrix(results)

  test('the text matrix has scenario rows and carrier columns, FAIL in capitals', () => {
    expect(textMatrix(matrix).split('\n')).toEqual([
      'scenario             posti  packly',
      '-------------------  -----  ------',
      'reuse.sequential     pass   FAIL',
      'lockout.never-locks  pass   n/a',
    ])
  })

  test('JUnit XML has a suite per carrier, failures and skipped cells, escaped', () => {
    const xml = junitReport(matrix)
    expect(xml).toContain('<testsuite name="packly" tests="2" failures="1" skipped="1"')
    expect(xml).toContain('<failure message="saw &#60;2&#62; requests &#38; more"/>')
    expect(xml).toContain('<skipped message="no lockout"/>')
  })

  test('the Markdown summary lists failures and groups n/a reasons', () => {
    const md = markdownReport(matrix, { mode: 'emulators', date: '2026-11-30' })
    expect(md).toContain('| `reuse.sequential` reuse | ✅ pass | ❌ FAIL |')
    expect(md).toContain('- **packly** `reuse.sequential`: saw <2> requests & more')
    expect(md).toContain('- `lockout.never-locks` — no lockout: packly')
  })
})
