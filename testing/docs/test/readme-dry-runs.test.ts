import { execFile } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { carrierNames } from '@carrier-auth/emulators'

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL('..', import.meta.url))

/** The code block a README marks `<!-- dry-run -->`: the quickstart against the emulator. */
async function dryRun(carrier: string): Promise<string> {
  const readme = await readFile(new URL(`../../../packages/${carrier}/README.md`, import.meta.url), 'utf8')
  const match = /<!-- dry-run -->\s*```js\n([\s\S]*?)```/.exec(readme)
  if (!match?.[1]) throw new Error(`packages/${carrier}/README.md has no dry-run block`)
  return match[1]
}

/** Each comment after `console.log(...)` in the block is the output it promises. */
function promised(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\) \/\/ (.+)$/gm)].map((m) => m[1]!.trim())
}

describe("every carrier README's dry run works when pasted", () => {
  test.each(carrierNames)('%s', async (carrier) => {
    const code = await dryRun(carrier)
    // Inside this package, whose devDependencies are what the dry runs say to install, so that
    // their imports resolve as they do for a user who installed them.
    const file = `${packageDir}.readme-dry-run-${carrier}.mjs`
    await writeFile(file, code)
    try {
      const { stdout } = await run(process.execPath, [file], { timeout: 20_000 })
      const lines = stdout.trim().split('\n')
      const want = promised(code)
      expect(lines).toHaveLength(want.length)
      // A promise is kept when the line begins it ("60" for "60 minutes, …"), or when the line
      // begins with the promise up to its first ':', ',' or ';' (a JSON rendering, for example).
      lines.forEach((line, i) => {
        const promise = want[i]!
        expect(promise.startsWith(line.trim()) || line.startsWith(promise.split(/[:;,]/)[0]!), `${line} ≠ ${promise}`).toBe(true)
      })
    } finally {
      await rm(file, { force: true })
    }
  })
})
