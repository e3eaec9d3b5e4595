import type { StoreColumn } from './contract.js'
import { storeChecks } from './contract.js'

const cell = (column: StoreColumn, id: string): string => {
  const result = column.results.find((r) => r.id === id)
  if (!result) return 'not run'
  const reason = result.reason?.replace(/\|/g, '\\|').replace(/\s+/g, ' ')
  if (result.outcome === 'pass') return '✅'
  if (result.outcome === 'fail') return `❌ ${reason ?? ''}`.trim()
  return `n/a (${reason})`
}

/** The store × check matrix as Markdown: one row per check, one column per store, in the order given. */
export function renderStoreMatrix(columns: readonly StoreColumn[]): string {
  const count = (outcome: string) => columns.reduce((n, c) => n + c.results.filter((r) => r.outcome === outcome).length, 0)
  const lines = [
    `**${count('pass')} pass, ${count('fail')} fail, ${count('n/a')} n/a**.`,
    '',
    `| check | ${columns.map((c) => c.store).join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...storeChecks.map((check) => `| \`${check.id}\` ${check.title} | ${columns.map((c) => cell(c, check.id)).join(' | ')} |`),
  ]
  return lines.join('\n')
}
