// pnpm bench: measures, prints a Markdown report, and writes it to benchmarks/report.md.
// Benchmarks report; they do not fail the build (speed targets never live in unit tests).
import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import { startEmulator } from '@carrier-auth/conformance'
import { coldBurst } from './cold-burst.mjs'
import { hotPath } from './hot-path.mjs'
import { manyAccounts } from './many-accounts.mjs'
import { middleware } from './middleware.mjs'
import { storesFleet } from './store-fleet.mjs'
import { storesHotPath } from './stores.mjs'

const emulator = await startEmulator('packly')
const sections = []
try {
  sections.push(await hotPath(emulator))
  sections.push(await coldBurst())
  sections.push(await middleware(emulator))
  sections.push(await manyAccounts())
  sections.push(await storesHotPath(emulator))
  sections.push(await storesFleet())
} finally {
  await emulator.close()
}

const lines = [
  `# Benchmarks`,
  '',
  `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}. Token endpoint: the Packly emulator on 127.0.0.1.`,
]
for (const s of sections) {
  lines.push('', `## ${s.title}`, '', '| contender | measured | |', '|---|---|---|')
  for (const row of s.rows) lines.push(`| ${row[0]} | ${row.slice(1).join(' | ')} |`)
  lines.push('')
  for (const [name, value, ok] of s.verdicts) lines.push(`- ${ok ? '✅' : '❌'} ${name}: **${value}**`)
}
const report = `${lines.join('\n')}\n`
console.log(report)
await writeFile(new URL('../report.md', import.meta.url), report)
