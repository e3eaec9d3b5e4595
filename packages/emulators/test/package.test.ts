import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { builtinModules } from 'node:module'
import { createDhlEcommerceAuth } from '@carrier-auth/dhl-ecommerce'
import { createPacklyAuth } from '@carrier-auth/packly'
import { createPitneyBowesAuth } from '@carrier-auth/pitney-bowes'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createPostiAuth } from '@carrier-auth/posti'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

// The tests use the built files, as a user's tests would: the package is its dist.
const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof esm
const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }

type Factory = (options: Record<string, unknown>) => { getToken(): Promise<{ accessToken: string }> }
const factories: Record<esm.CarrierName, Factory> = {
  posti: createPostiAuth as unknown as Factory,
  'pitney-bowes': createPitneyBowesAuth as unknown as Factory,
  postfinance: createPostFinanceAuth as unknown as Factory,
  packly: createPacklyAuth as unknown as Factory,
  'dhl-ecommerce': createDhlEcommerceAuth as unknown as Factory,
}

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
  test('names the five carriers', () => {
    expect([...emulators.carrierNames].sort()).toEqual(Object.keys(factories).sort())
  })

  test.each(Object.keys(factories) as esm.CarrierName[])('starts the %s emulator, which issues a token to its carrier package', async (carrier) => {
    const emulator = await emulators.startEmulator(carrier)
    try {
      const token = await factories[carrier]({ ...emulator.credentials, baseUrl: emulator.url }).getToken()
      expect(emulator.issuedTokens).toContain(token.accessToken)
      expect(emulator.responseViolations).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})
