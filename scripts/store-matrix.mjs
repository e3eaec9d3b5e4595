#!/usr/bin/env node
// Prints the store × check matrix of the last store-contract test runs: each store's suite
// (packages/*/test/store-contract*.test.ts) leaves its column in node_modules/.cache/carrier-auth/
// store-matrix/ after a complete run. `--readme` copies the matrix into README.md between its
// store markers. A new store's column is its test file's one `defineStoreContract(...)` line; it
// shows up here by itself (COLUMNS only fixes the order of the known ones).
import { readdir, readFile, writeFile } from 'node:fs/promises'

const root = new URL('../', import.meta.url)
const COLUMNS = ['MemoryStore', 'FileStore', 'Redis', 'Redis Cluster', 'PostgreSQL']
const dir = new URL('node_modules/.cache/carrier-auth/store-matrix/', root)

const { renderStoreMatrix } = await import(new URL('packages/core/dist/testing/index.js', root).href).catch(() => {
  throw new Error('build @carrier-auth/core first (pnpm turbo run build --filter=@carrier-auth/core)')
})
const files = await readdir(dir).catch(() => [])
const columns = await Promise.all(files.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(new URL(f, dir), 'utf8'))))
if (columns.length === 0) throw new Error('no store columns yet: run the store-contract tests first (pnpm test)')
const rank = (c) => (COLUMNS.includes(c.store) ? COLUMNS.indexOf(c.store) : COLUMNS.length)
columns.sort((a, b) => rank(a) - rank(b) || a.store.localeCompare(b.store))
const day = columns.map((c) => c.ranAt.slice(0, 10)).sort().at(-1)
const matrix = `${day}: ${renderStoreMatrix(columns)}`

if (!process.argv.includes('--readme')) {
  console.log(matrix)
} else {
  const readme = await readFile(new URL('README.md', root), 'utf8')
  const start = '<!-- stores:start -->'
  const end = '<!-- stores:end -->'
  if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md has no store matrix markers')
  const before = readme.slice(0, readme.indexOf(start) + start.length)
  const after = readme.slice(readme.indexOf(end))
  await writeFile(new URL('README.md', root), `${before}\n${matrix}\n${after}`)
  console.log('README.md: store matrix updated')
}
