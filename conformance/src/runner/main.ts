import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { carriers } from '../carriers.js'
import type { CellResult } from './cell.js'
import { counts, githubAnnotations, junitReport, markdownReport, reportText, textMatrix, toMatrix } from './report.js'
import { runMatrix } from './run-matrix.js'
import { catalogue } from '../scenarios/index.js'

const HELP = `carrier-auth conformance: every scenario against every carrier package.

Usage: carrier-auth conformance [--carrier <name>]... [--scenario <prefix>]... [--report-dir <dir>] [--live]

  --carrier     only these carriers (${carriers.map((c) => c.name).join(', ')})
  --scenario    only scenarios whose id starts with this (e.g. errors, concurrency.cold-burst)
  --report-dir  where junit.xml and summary.md go (default: ./report — conformance/report under pnpm conformance)
  --live        run the safe scenarios against the carriers' real sandboxes, with credentials
                from environment variables (see the README); error scenarios never run live
  --help        this text

Exit code: 0 when no cell fails, 1 when any does, 2 for bad arguments.`

/** The conformance command line; returns the exit code. */
export async function runConformanceCli(argv: string[]): Promise<number> {
  let args
  try {
    args = parseArgs({
      args: argv,
      options: {
        carrier: { type: 'string', multiple: true },
        scenario: { type: 'string', multiple: true },
        'report-dir': { type: 'string' },
        live: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`)
    return 2
  }
  if (args.help) {
    console.log(HELP)
    return 0
  }
  const unknown = (args.carrier ?? []).filter((name) => !carriers.some((c) => c.name === name))
  if (unknown.length) {
    console.error(`unknown carrier: ${unknown.join(', ')} (known: ${carriers.map((c) => c.name).join(', ')})`)
    return 2
  }
  const selected = carriers.filter((c) => !args.carrier || args.carrier.includes(c.name))
  const scenarios = catalogue.filter((s) => !args.scenario || args.scenario.some((p) => s.id === p || s.id.startsWith(`${p}.`) || s.id.startsWith(p)))
  if (scenarios.length === 0) {
    console.error(`no scenario matches ${args.scenario?.join(', ')}`)
    return 2
  }
  const mode = args.live ? 'live sandboxes' : 'emulators'
  console.log(`conformance: ${scenarios.length} scenarios × ${selected.length} carriers against ${mode}\n`)
  const mark = { pass: '✓', fail: '✗', 'n/a': '-' } as const
  const results = await runMatrix({
    carriers: selected,
    scenarios,
    live: args.live,
    env: process.env,
    onResult: (r: CellResult) =>
      console.log(`${mark[r.status]} ${r.carrier.padEnd(14)} ${r.scenario.padEnd(32)} ${r.status === 'pass' ? `${r.durationMs} ms` : `${r.status}: ${reportText(r.detail)}`}`),
  })
  const matrix = toMatrix(results)
  const c = counts(results)
  console.log(`\n${textMatrix(matrix)}\n\nconformance: ${c.pass} passed, ${c.fail} failed, ${c["n/a"]} skipped`)
  if (process.env.GITHUB_ACTIONS === 'true') for (const annotation of githubAnnotations(results)) console.log(annotation)

  const dir = resolve(args['report-dir'] ?? join(process.cwd(), 'report'))
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'junit.xml'), junitReport(matrix))
  await writeFile(join(dir, 'summary.md'), markdownReport(matrix, { mode, date: new Date().toISOString().slice(0, 10) }))
  console.log(`reports: ${join(dir, 'junit.xml')}, ${join(dir, 'summary.md')}`)
  return c.fail > 0 ? 1 : 0
}

