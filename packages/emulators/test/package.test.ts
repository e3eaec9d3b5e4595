import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { builtinModules } from 'node:module'
import { carriers } from '@carrier-auth/conformance'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

// The tests use the built files, as a user's tests would: the package is its dist.
const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof esm
const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }

// The carrier packages, as the conformance matrix drives them (a new carrier is covered with no edit here).
const carrierPackage = (name: esm.CarrierName) => carriers.find((c) => c.name === name)!

/** The bare module names a built file imports or requires. */
async function importedModules(file: string): Promise<Set<string>> {
  const code = await readFile(new URL(`../dist/${file}`, import.meta.url), 'utf8')
  const names = [...code.matchAll(/(?:^import\s[^'"]*?from\s*|^import\s*|require\()["']([^"'./][^"']*)["']/gm)].map((m) => m[1]!)
  return new Set(names)
}

const packageOf = (name: string) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!)
const builtins = new Set(builtinModules)

describe('what installing @carrier-auth/emulators brings', () => {
  test('ajv is its one dependency', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['ajv'])
  })

  test.each(['index.js', 'index.cjs'])('dist/%s loads nothing but Node built-ins and ajv', async (file) => {
    const outside = [...(await importedModules(file))].filter((name) => !builtins.has(name.replace(/^node:/, '')) && packageOf(name) !== 'ajv')
    expect(outside).toEqual([])
  })
})

describe.each([
  ['ESM', esm],
  ['CommonJS', cjs],
])('the %s build', (_, emulators) => {
  test("names every carrier of the conformance matrix", () => {
    expect([...emulators.carrierNames].sort()).toEqual(carriers.map((c) => c.name).sort())
  })

  test.each(carriers.map((c) => c.name))('starts the %s emulator, which issues a token to its carrier package', async (carrier) => {
    const emulator = await emulators.startEmulator(carrier)
    try {
      const token = await carrierPackage(carrier).create({ ...emulator.credentials }, { baseUrl: emulator.url }).getToken()
      expect(emulator.issuedTokens).toContain(token.accessToken)
      expect(emulator.responseViolations).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})
