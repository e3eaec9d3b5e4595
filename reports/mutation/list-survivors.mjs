// Lists every mutant of reports/mutation/<pkg>/mutation.json that is neither killed nor timed out,
// marking the ones reports/mutation/equivalent.json explains (keyed by `file:line:column mutator`,
// optionally followed by the replacement; a reason starting with `open:` is a note on an open one).
// Prints Markdown for survivors.md.
//   node reports/mutation/list-survivors.mjs core
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const pkg = process.argv[2] ?? 'core'
const report = JSON.parse(readFileSync(join(here, pkg, 'mutation.json'), 'utf8'))
const equivalent = JSON.parse(readFileSync(join(here, 'equivalent.json'), 'utf8'))
const out = []
let open = 0
let equal = 0
for (const [file, { source, mutants }] of Object.entries(report.files).sort()) {
  const lines = source.split('\n')
  const rows = mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)
  if (rows.length === 0) continue
  out.push(`\n### ${file}\n`, '| where | status | mutation | verdict |', '|---|---|---|---|')
  for (const m of rows) {
    const at = `${file}:${m.location.start.line}:${m.location.start.column}`
    const reason = equivalent[`${at} ${m.mutatorName} ${m.replacement}`] ?? equivalent[`${at} ${m.mutatorName}`]
    const isOpen = !reason || reason.startsWith('open:')
    if (isOpen) open++
    else equal++
    const code = lines[m.location.start.line - 1].trim().slice(0, 70).replace(/\|/g, '\\|').replace(/`/g, "'")
    const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 50).replace(/\|/g, '\\|').replace(/`/g, "'")
    out.push(`| ${m.location.start.line}:${m.location.start.column} | ${m.status === 'NoCoverage' ? 'no coverage' : 'survived'} | ${m.mutatorName} \`${replacement}\` in \`${code}\` | ${!reason ? 'open' : isOpen ? reason : `equivalent: ${reason}`} |`)
  }
}
console.log(`${equal} equivalent, ${open} open.\n${out.join('\n')}`)
