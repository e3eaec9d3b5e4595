import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

/** One ```ts block of a README, ready to compile as a module of its own. */
export interface Block {
  /** `packages/posti/README.md:13`: where the block starts. */
  name: string
  readme: string
  /** The README's line the block's first code line is on. */
  line: number
  code: string
  /** The block as compiled: `// given:` lines as declarations, and `export {}` (a module). */
  source: string
}

/**
 * The one convention a block may use for what its reader already has: a line
 * `// given: const username: string, password: string` is compiled as `declare const …`
 * (and `// given: import type { Client } from 'openapi-fetch'` as the import itself). Everything
 * else a block uses, it imports or declares, as a file a user pastes would have to.
 */
export function compiled(code: string): string {
  const lines = code.split('\n').map((line) => {
    const given = /^\s*\/\/ given: (.*)$/.exec(line)?.[1]
    if (given === undefined) return line
    return given.startsWith('import ') ? given : `declare ${given}`
  })
  return `${lines.join('\n')}\nexport {}\n`
}

export function blocksOf(readme: string, text: string): Block[] {
  const blocks: Block[] = []
  for (const match of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, match.index).split('\n').length + 1
    const code = match[1]!
    blocks.push({ name: `${readme}:${line}`, readme, line, code, source: compiled(code) })
  }
  return blocks
}

/** The root README and every package's: packages/*, conformance. */
export async function readmes(root: string): Promise<string[]> {
  const found = [join(root, 'README.md'), join(root, 'conformance', 'README.md')]
  for (const name of (await readdir(join(root, 'packages'))).sort()) found.push(join(root, 'packages', name, 'README.md'))
  const exists = await Promise.all(found.map((f) => readFile(f).then(() => true, () => false)))
  return found.filter((_, i) => exists[i]).map((f) => relative(root, f))
}
