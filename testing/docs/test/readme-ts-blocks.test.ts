import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { type Block, blocksOf, compiled, readmes } from '../src/blocks.js'
import { typecheck } from '../src/typecheck.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const blocks: Block[] = []
for (const readme of await readmes(root)) blocks.push(...blocksOf(readme, await readFile(`${root}${readme}`, 'utf8')))

// Two blocks that must fail, checked in the same program as the READMEs' own.
const undeclared = blocksOf('README.md', "# t\n\n```ts\nimport { createPostiAuth } from '@carrier-auth/posti'\napi.use(createPostiAuth({ environment: 'qa', username: 'u', password: 'p' }).middleware())\n```\n")[0]!
const mistyped = blocksOf('README.md', "```ts\nimport { createPostiAuth } from '@carrier-auth/posti'\ncreatePostiAuth({ username: 1, password: 'p' })\n```\n")[0]!

let diagnostics: Map<Block, string[]>
beforeAll(async () => {
  diagnostics = await typecheck(root, [...blocks, undeclared, mistyped])
}, 180_000)

describe('every ```ts block of the READMEs type-checks under tsc --strict, as pasted', () => {
  test('there are blocks to check, in the root README and the packages', () => {
    expect(blocks.some((b) => b.readme === 'README.md')).toBe(true)
    expect(blocks.some((b) => b.readme.startsWith('packages/'))).toBe(true)
  })

  test.each(blocks.map((b) => [b.name, b] as const))('%s', (_, block) => {
    expect(diagnostics.get(block)).toEqual([])
  })
})

describe('the checker', () => {
  test('"// given:" lines declare what the reader already has', () => {
    expect(compiled('// given: const username: string\nuse(username)')).toBe('declare const username: string\nuse(username)\nexport {}\n')
    expect(compiled("// given: import type { Client } from 'openapi-fetch'")).toContain("import type { Client } from 'openapi-fetch'")
  })

  test('a block using a name it never declared fails, with the README line', () => {
    expect(diagnostics.get(undeclared)).toEqual([expect.stringMatching(/^README\.md:5: Cannot find name 'api'/)])
  })

  test('a block passing a number for a string option fails', () => {
    expect(diagnostics.get(mistyped)?.join('\n')).toMatch(/^README\.md:3: .*number.*string/s)
  })
})
