// The Markdown report: one goals table gathered from every section's verdicts over all runs,
// then each section's rows from the last run.

const sorted = (xs) => [...xs].sort((a, b) => a - b)

/**
 * A verdict is [name, shown value, met] or, from `goal()` in harness.mjs, with a fourth element
 * { measured, target, lower, unit, digits }: those get min/median/max over the runs.
 */
function goalRow(name, verdicts) {
  const numbers = verdicts.map((v) => v[3]).filter(Boolean)
  const metRuns = verdicts.filter((v) => v[2]).length
  if (numbers.length === verdicts.length) {
    const xs = sorted(numbers.map((n) => n.measured))
    const { lower, target, unit, digits } = numbers[0]
    const median = xs[Math.floor(xs.length / 2)]
    const f = (x) => `${x.toFixed(digits)}${unit}`
    const measured = xs.length === 1 ? f(median) : `${f(xs[0])} / **${f(median)}** / ${f(xs[xs.length - 1])}`
    const met = lower ? median <= target : median >= target
    return `| ${name} | ${measured} | ${met ? '✅' : '❌'} ${metRuns}/${verdicts.length} runs |`
  }
  const values = verdicts.map((v) => v[1]).join(' / ')
  return `| ${name} | ${values} | ${metRuns === verdicts.length ? '✅' : '❌'} ${metRuns}/${verdicts.length} runs |`
}

/** runs: one array of sections ({ title, rows, verdicts }) per run; a section may appear in only some runs. */
export function renderReport(runs, header) {
  const byName = new Map()
  for (const sections of runs) for (const s of sections) for (const v of s.verdicts) byName.set(v[0], [...(byName.get(v[0]) ?? []), v])
  const lines = [...header, '', '## Goals', '', `Each goal as measured in ${runs.length} run(s): min / **median** / max where a number; met when the median meets it (and in how many runs it did).`, '', '| goal | measured (min / median / max) | met |', '|---|---|---|']
  for (const [name, verdicts] of byName) lines.push(goalRow(name, verdicts))
  const last = new Map()
  for (const sections of runs) for (const s of sections) last.set(s.title, s)
  for (const s of last.values()) {
    lines.push('', `## ${s.title}`, '', '| contender | measured | |', '|---|---|---|')
    for (const row of s.rows) lines.push(`| ${row[0]} | ${row.slice(1).join(' | ')} |`)
  }
  return `${lines.join('\n')}\n`
}
