import { describe, expect, test } from 'vitest'
import { carriers } from '../../src/carriers.js'
import { type CellResult, runCell } from '../../src/runner/cell.js'
import { githubAnnotations, junitReport, markdownReport, toMatrix } from '../../src/runner/report.js'
import { scenario } from '../../src/scenarios/scenario.js'

const posti = carriers.find((c) => c.name === 'posti')!
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64')

describe('reports cannot leak', () => {
  test('a failure message holding the token, the password and the Basic value reaches no report', async () => {
    const said: string[] = []
    const blurts = scenario('demo.blurts', 'fails with secrets in its message', async (ctx) => {
      const token = ctx.seen(await ctx.auth().getToken())
      const { username, password } = ctx.emulator!.credentials as { username: string; password: string }
      said.push(token.accessToken, password, basic(username, password))
      throw new Error(`token ${token.accessToken}, password ${password}, header Basic ${basic(username, password)}`)
    })
    const result = await runCell(blurts, posti, { kind: 'emulator' })
    expect(result.status).toBe('fail')
    const matrix = toMatrix([result])
    const texts = [result.detail ?? '', junitReport(matrix), markdownReport(matrix, { mode: 'emulators', date: '2026-12-01' }), ...githubAnnotations([result])]
    for (const secret of said) for (const text of texts) expect(text).not.toContain(secret)
    expect(result.detail).toContain('[redacted]')
  })

  test('a Basic or Bearer value the cell never knew is redacted in every report', () => {
    const stranger: CellResult = { carrier: 'posti', scenario: 'demo.x', title: 'x', status: 'fail', detail: 'sent Authorization: Bearer abcdefgh1jklmnop and Basic dXNlcjpwYXNzd29yZA==', durationMs: 1 }
    const matrix = toMatrix([stranger])
    for (const text of [junitReport(matrix), markdownReport(matrix, { mode: 'emulators', date: '2026-12-01' }), ...githubAnnotations([stranger])]) {
      expect(text).not.toContain('abcdefgh1jklmnop')
      expect(text).not.toContain('dXNlcjpwYXNzd29yZA==')
    }
  })

  test('prose about Basic authentication stays readable', () => {
    const prose: CellResult = { carrier: 'posti', scenario: 'demo.x', title: 'x', status: 'fail', detail: 'the Basic authentication header was missing', durationMs: 1 }
    expect(markdownReport(toMatrix([prose]), { mode: 'emulators', date: '2026-12-01' })).toContain('the Basic authentication header was missing')
  })

  test('JUnit XML carries no control characters', () => {
    const noisy: CellResult = { carrier: 'posti', scenario: 'demo.x', title: 'x\u0007', status: 'fail', detail: 'bad \u0000byte \u001b[31mred\u001b[0m', durationMs: 1 }
    const xml = junitReport(toMatrix([noisy]))
    expect(xml).toContain('<failure message="bad byte [31mred[0m"/>')
    // No C0 control other than the newlines between elements.
    expect(/[\u0000-\u0009\u000b-\u001f]/.test(xml)).toBe(false)
  })
})

describe('failures first', () => {
  const results: CellResult[] = [
    { carrier: 'posti', scenario: 'reuse.sequential', title: 'reuse', status: 'pass', durationMs: 3 },
    { carrier: 'packly', scenario: 'reuse.sequential', title: 'reuse', status: 'fail', detail: 'saw 2 requests, 1: expected\nnext line', durationMs: 4 },
  ]

  test('summary.md opens with the failing cells, before the matrix', () => {
    const md = markdownReport(toMatrix(results), { mode: 'emulators', date: '2026-12-01' })
    expect(md.indexOf('## Failures')).toBeGreaterThan(0)
    expect(md.indexOf('## Failures')).toBeLessThan(md.indexOf('| scenario |'))
  })

  test('each failing cell is one ::error annotation, escaped as GitHub Actions reads it', () => {
    expect(githubAnnotations(results)).toEqual(['::error title=conformance packly reuse.sequential::saw 2 requests, 1: expected%0Anext line'])
  })
})
