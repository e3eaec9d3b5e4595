import type { CellResult, CellStatus } from './cell.js'
import { scrubReportText } from './secrets.js'

/**
 * Every text a report carries. Cells already scrub their details with the secrets they knew (the
 * leak check's list); this runs the same scrubber again for anything that names no known secret
 * (a `Basic …` or `Bearer …` value), and drops control characters (an ANSI escape, a NUL).
 */
export function reportText(text: string | undefined): string {
  return scrubReportText(text ?? '', [])
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
}

/** Rows are scenarios, columns carriers, in the order they ran. */
export interface Matrix {
  carriers: string[]
  scenarios: { id: string; title: string }[]
  cell(scenario: string, carrier: string): CellResult | undefined
  results: CellResult[]
}

export function toMatrix(results: CellResult[]): Matrix {
  const carriers = [...new Set(results.map((r) => r.carrier))]
  const scenarios = [...new Map(results.map((r) => [r.scenario, { id: r.scenario, title: r.title }])).values()]
  const index = new Map(results.map((r) => [`${r.scenario}\u0000${r.carrier}`, r]))
  return { carriers, scenarios, results, cell: (s, c) => index.get(`${s}\u0000${c}`) }
}

export function counts(results: CellResult[]): Record<CellStatus, number> {
  const c = { pass: 0, fail: 0, 'n/a': 0 }
  for (const r of results) c[r.status]++
  return c
}

const TEXT: Record<CellStatus, string> = { pass: 'pass', fail: 'FAIL', 'n/a': 'n/a' }

/** The matrix for a terminal: fixed-width columns, FAIL in capitals so it stands out. */
export function textMatrix(m: Matrix): string {
  const first = Math.max(8, ...m.scenarios.map((s) => s.id.length))
  const widths = m.carriers.map((c) => Math.max(c.length, 4))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(first) : c.padEnd(widths[i - 1]!))).join('  ').trimEnd()
  const rows = [line(['scenario', ...m.carriers]), line(['-'.repeat(first), ...widths.map((w) => '-'.repeat(w))])]
  for (const s of m.scenarios) rows.push(line([s.id, ...m.carriers.map((c) => TEXT[m.cell(s.id, c)?.status ?? 'n/a'])]))
  return rows.join('\n')
}

const MD: Record<CellStatus, string> = { pass: '✅ pass', fail: '❌ FAIL', 'n/a': 'n/a' }

/** The Markdown summary: the failing cells first, then the matrix, then every n/a with its reason. */
export function markdownReport(m: Matrix, meta: { mode: string; date: string }): string {
  const c = counts(m.results)
  const line = (text: string | undefined) => reportText(text).replace(/\s+/g, ' ')
  const out = [`# Conformance matrix`, '', `${meta.mode}, ${meta.date}: **${c.pass} pass, ${c.fail} fail, ${c['n/a']} n/a**.`]
  const failures = m.results.filter((r) => r.status === 'fail')
  if (failures.length) {
    out.push('', '## Failures', '')
    for (const r of failures) out.push(`- **${r.carrier}** \`${r.scenario}\`: ${line(r.detail)}`)
  }
  out.push(
    '',
    `| scenario | ${m.carriers.join(' | ')} |`,
    `|---|${m.carriers.map(() => '---').join('|')}|`,
    ...m.scenarios.map((s) => `| \`${s.id}\` ${line(s.title)} | ${m.carriers.map((carrier) => MD[m.cell(s.id, carrier)?.status ?? 'n/a']).join(' | ')} |`),
  )
  // n/a cells grouped by scenario and reason: "rotation.* — posti, packly: no refresh tokens".
  const reasons = new Map<string, string[]>()
  for (const r of m.results.filter((x) => x.status === 'n/a')) {
    const key = `\`${r.scenario}\` — ${line(r.detail)}`
    reasons.set(key, [...(reasons.get(key) ?? []), r.carrier])
  }
  if (reasons.size) {
    out.push('', '## n/a, and why', '')
    for (const [key, carriers] of reasons) out.push(`- ${key}: ${carriers.join(', ')}`)
  }
  return `${out.join('\n')}\n`
}

/** GitHub Actions workflow commands: one `::error` annotation per failing cell. */
export function githubAnnotations(results: readonly CellResult[]): string[] {
  // https://docs.github.com/actions/reference/workflow-commands: data escapes %, CR, LF; properties also : and ,.
  const data = (t: string) => t.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  const property = (t: string) => data(t).replace(/:/g, '%3A').replace(/,/g, '%2C')
  return results
    .filter((r) => r.status === 'fail')
    .map((r) => `::error title=${property(`conformance ${r.carrier} ${r.scenario}`)}::${data(reportText(r.detail))}`)
}

const xml = (s: string) => reportText(s).replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** JUnit XML: one testsuite per carrier, one testcase per scenario; n/a is `skipped` with its reason. */
export function junitReport(m: Matrix): string {
  const suites = m.carriers.map((carrier) => {
    const rs = m.results.filter((r) => r.carrier === carrier)
    const k = counts(rs)
    const time = (rs.reduce((t, r) => t + r.durationMs, 0) / 1000).toFixed(3)
    const cases = rs.map((r) => {
      const open = `    <testcase classname="conformance.${xml(carrier)}" name="${xml(r.scenario)}: ${xml(r.title)}" time="${(r.durationMs / 1000).toFixed(3)}"`
      if (r.status === 'pass') return `${open}/>`
      const inner = r.status === 'fail' ? `<failure message="${xml(r.detail ?? '')}"/>` : `<skipped message="${xml(r.detail ?? '')}"/>`
      return `${open}>${inner}</testcase>`
    })
    return [
      `  <testsuite name="${xml(carrier)}" tests="${rs.length}" failures="${k.fail}" skipped="${k['n/a']}" errors="0" time="${time}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n')
  })
  const k = counts(m.results)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="carrier-auth conformance" tests="${m.results.length}" failures="${k.fail}" skipped="${k['n/a']}">\n${suites.join('\n')}\n</testsuites>\n`
}
