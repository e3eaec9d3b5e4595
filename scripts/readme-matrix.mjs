#!/usr/bin/env node
// Copies the matrix of the last `pnpm conformance` run (conformance/report/summary.md) into the
// README between its matrix markers, so the README shows what the suite last printed.
import { readFile, writeFile } from 'node:fs/promises'

const root = new URL('../', import.meta.url)
const summary = await readFile(new URL('conformance/report/summary.md', root), 'utf8')
const lines = summary.split('\n')
const headline = lines.find((line) => /^(emulators|live)/.test(line)) ?? ''
const table = lines.filter((line) => line.startsWith('|')).join('\n')
const readme = await readFile(new URL('README.md', root), 'utf8')
const start = '<!-- matrix:start -->'
const end = '<!-- matrix:end -->'
const before = readme.slice(0, readme.indexOf(start) + start.length)
const after = readme.slice(readme.indexOf(end))
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md has no matrix markers')
await writeFile(new URL('README.md', root), `${before}\n${headline}\n\n${table}\n${after}`)
console.log('README.md: matrix updated')
