import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
// @ts-expect-error: a plain .mjs script of the repository, without types
import { discoverCarriers } from '../../../scripts/carriers/discover.mjs'
// @ts-expect-error: a plain .mjs script of the repository, without types
import { withTables } from '../../../scripts/carriers/readme-tables.mjs'
import { carriers } from '../../src/carriers.js'

// The README's carrier tables are rendered from the carrier packages; this keeps them so.
test("the README's carrier tables are the carriers' own (pnpm readme:matrix writes them)", async () => {
  const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
  const found = (await discoverCarriers()) as Array<{ name: string; factory: string }>
  const factories = Object.fromEntries(found.map((c) => [c.name, c.factory]))
  expect(withTables(readme, carriers, factories)).toBe(readme)
})

test('every carrier package of the workspace is a column of the matrix', async () => {
  const found = (await discoverCarriers()) as Array<{ name: string }>
  expect(carriers.map((c) => c.name)).toEqual(found.map((c) => c.name))
})
