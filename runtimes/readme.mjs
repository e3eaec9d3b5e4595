#!/usr/bin/env node
// Copies the table of the last runtime matrix run (runtimes/RESULTS.md) into the root README
// between its runtimes markers, so the README shows what the matrix last measured.
import { readFile, writeFile } from 'node:fs/promises'

const root = new URL('../', import.meta.url)
const results = await readFile(new URL('runtimes/RESULTS.md', root), 'utf8')
const table = results.split('\n').filter((line) => line.startsWith('|')).join('\n')
const readme = await readFile(new URL('README.md', root), 'utf8')
const start = '<!-- runtimes:start -->'
const end = '<!-- runtimes:end -->'
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md has no runtimes markers')
const before = readme.slice(0, readme.indexOf(start) + start.length)
const after = readme.slice(readme.indexOf(end))
await writeFile(new URL('README.md', root), `${before}\n${table}\n${after}`)
console.log('README.md: runtime table updated')
