// pnpm bench: measures, prints a Markdown report, and writes it to benchmarks/report.md.
// Benchmarks report; they do not fail the build (speed targets never live in unit tests).
// BENCH_RUNS=3 runs every section three times (many-accounts repeats itself, in fresh processes);
// the goals table shows min/median/max. BENCH_ONLY=hot,signals,... runs only those sections (and
// writes no report.md; BENCH_OUT=<file> writes it there).
import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import { startEmulator } from '@carrier-auth/conformance'
import { coldBurst } from './cold-burst.mjs'
import { hotPath } from './hot-path.mjs'
import { manyAccounts } from './many-accounts.mjs'
import { middleware } from './middleware.mjs'
import { renderReport } from './report.mjs'
import { signals } from './signals.mjs'
import { storesFleet } from './store-fleet.mjs'
import { storesHotPath } from './stores.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 1)
const ONLY = process.env.BENCH_ONLY?.split(',')
/** [name, run(emulator), repeated per run (false: once; it repeats itself)] */
const SECTIONS = [
  ['hot', hotPath, true],
  ['cold', () => coldBurst(), true],
  ['signals', () => signals(), true],
  ['middleware', middleware, true],
  ['many-accounts', () => manyAccounts(), false],
  ['stores', storesHotPath, true],
  ['fleet', () => storesFleet(), true],
].filter(([name]) => !ONLY || ONLY.includes(name))

const emulator = await startEmulator('packly')
const runs = []
try {
  for (let r = 0; r < RUNS; r++) {
    const sections = []
    for (const [name, run, repeated] of SECTIONS) {
      if (r > 0 && !repeated) continue
      console.error(`run ${r + 1}/${RUNS}: ${name}`)
      sections.push(await run(emulator))
    }
    runs.push(sections)
  }
} finally {
  await emulator.close()
}

const header = [
  `# Benchmarks`,
  '',
  `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}, ${RUNS} run(s). Token endpoint: the Packly emulator on 127.0.0.1. Section tables below are from the last run.`,
]
const report = renderReport(runs, header)
console.log(report)
// A partial run (BENCH_ONLY) leaves report.md alone; BENCH_OUT names a file to write it to instead.
const out = process.env.BENCH_OUT ?? (ONLY ? undefined : new URL('../report.md', import.meta.url))
if (out) await writeFile(out, report)
