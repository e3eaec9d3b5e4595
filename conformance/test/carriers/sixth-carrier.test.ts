import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

/**
 * CONTRIBUTING.md's "Add a carrier", step by step, for a made-up sixth carrier (Parcelo: string
 * `expires_in`, ms `issued_at`, an optional `x-merchant-id` header), in a scratch copy of the
 * parts of the repository those steps read and write. The scripts are the repository's own; what
 * `pnpm install` would do is done by links to the installed node_modules (so no registry is
 * needed), and the matrix runs from the copied conformance source.
 */
const run = promisify(execFile)
const repo = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = fileURLToPath(new URL('./sixth-carrier/', import.meta.url))
const CARRIER = 'parcelo'
let world: string

/** What a person edits and what the steps write, as hashes of every file outside node_modules and links. */
async function snapshot(dir: string, into = new Map<string, string>(), base = dir): Promise<Map<string, string>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.name === 'node_modules' || entry.isSymbolicLink()) continue
    if (entry.isDirectory()) await snapshot(path, into, base)
    else into.set(relative(base, path), createHash('sha256').update(await readFile(path)).digest('hex'))
  }
  return into
}
const changed = (before: Map<string, string>, after: Map<string, string>) => [...after].filter(([file, hash]) => before.get(file) !== hash).map(([file]) => file).sort()

/** A package.json script, run as pnpm would run it: in the package, with its node_modules/.bin on PATH. */
async function runScript(dir: string, name: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const PATH = [join(dir, 'node_modules/.bin'), join(repo, 'node_modules/.bin'), process.env.PATH].join(delimiter)
  await run('sh', ['-c', manifest.scripts[name]!], { cwd: dir, env: { ...process.env, PATH } })
}

/** Links every installed dependency of a real package's node_modules into a scratch one. */
async function linkInstalled(from: string, to: string): Promise<void> {
  await mkdir(join(to, '@carrier-auth'), { recursive: true })
  for (const entry of await readdir(from)) {
    if (entry === '@carrier-auth') continue
    await symlink(join(from, entry), join(to, entry))
  }
  for (const entry of await readdir(join(from, '@carrier-auth'))) await symlink(join(from, '@carrier-auth', entry), join(to, '@carrier-auth', entry))
}

let touchedByHand: string[] = []
let touchedByScripts: string[] = []

beforeAll(async () => {
  world = await mkdtemp(join(tmpdir(), 'sixth-carrier-'))
  // The repository as the steps see it: scripts, specs, the conformance source, the five carrier
  // packages (linked: built already), testing/docs' manifest.
  await cp(join(repo, 'scripts'), join(world, 'scripts'), { recursive: true })
  await symlink(join(repo, 'node_modules'), join(world, 'node_modules'))
  await cp(join(repo, 'specs'), join(world, 'specs'), { recursive: true })
  await cp(join(repo, 'tsconfig.base.json'), join(world, 'tsconfig.base.json'))
  for (const part of ['src', 'scripts', 'package.json', 'tsconfig.json']) await cp(join(repo, 'conformance', part), join(world, 'conformance', part), { recursive: true })
  await linkInstalled(join(repo, 'conformance/node_modules'), join(world, 'conformance/node_modules'))
  await mkdir(join(world, 'packages'))
  for (const entry of await readdir(join(repo, 'packages'))) await symlink(join(repo, 'packages', entry), join(world, 'packages', entry))
  await mkdir(join(world, 'testing/docs'), { recursive: true })
  await cp(join(repo, 'testing/docs/package.json'), join(world, 'testing/docs/package.json'))
  const start = await snapshot(world)

  // 1. specs/<carrier>.yaml.
  await cp(join(fixture, `${CARRIER}.yaml`), join(world, 'specs', `${CARRIER}.yaml`))
  // 2. packages/<carrier>/: package.json (with its "carrier-auth" field), the profile, the carrier
  //    module, the factory.
  const pkg = join(world, 'packages', CARRIER)
  await cp(join(fixture, 'package'), pkg, { recursive: true })
  const edited = await snapshot(world)
  touchedByHand = changed(start, edited)

  // 3. pnpm generate: the package's generate script, and conformance's (specs, registry, package lists).
  // 4. pnpm install: links the new package's dependencies, and the new package where the generator listed it.
  await symlink(join(repo, 'packages/posti/node_modules'), join(pkg, 'node_modules'))
  await runScript(pkg, 'generate')
  await runScript(join(world, 'conformance'), 'generate')
  await symlink(pkg, join(world, 'conformance/node_modules/@carrier-auth', CARRIER))
  // 5. pnpm build (the new package; the matrix runs from source here).
  await runScript(pkg, 'build')
  touchedByScripts = changed(edited, await snapshot(world))
}, 120_000)

afterAll(async () => {
  if (world) await rm(world, { recursive: true, force: true })
})

describe('a sixth carrier, added by its spec and its folder', () => {
  test('a person edits its spec and its own folder, nothing else', () => {
    expect(touchedByHand.every((file) => file === `specs/${CARRIER}.yaml` || file.startsWith(`packages/${CARRIER}/`))).toBe(true)
    expect(touchedByHand).toContain(`specs/${CARRIER}.yaml`)
  })

  test('the steps write only generated files and the package lists', () => {
    const outside = touchedByScripts.filter((file) => !file.startsWith(`packages/${CARRIER}/`))
    expect(outside).toEqual([
      'conformance/package.json',
      'conformance/src/generated/carrier-modules.ts',
      'conformance/src/generated/carrier-packages.ts',
      'conformance/src/generated/specs.ts',
      'testing/docs/package.json',
    ])
  })

  test('pnpm conformance -- --carrier parcelo: its column passes', async () => {
    const conformance = (await import(pathToFileURL(join(world, 'conformance/src/index.ts')).href)) as typeof import('../../src/index.js')
    expect(conformance.carriers.map((c) => c.name)).toContain(CARRIER)
    const code = await conformance.runConformanceCli(['--carrier', CARRIER, '--report-dir', join(world, 'report')])
    const summary = await readFile(join(world, 'report/summary.md'), 'utf8')
    expect(summary).toMatch(new RegExp(`\\| scenario \\| ${CARRIER} \\|`))
    expect(summary).toMatch(/\*\*\d+ pass, 0 fail, \d+ n\/a\*\*/)
    expect(code).toBe(0)
  }, 240_000)

  test('its optional credential reaches the wire: a wrong x-merchant-id is refused, none or the right one is served', async () => {
    const conformance = (await import(pathToFileURL(join(world, 'conformance/src/index.ts')).href)) as typeof import('../../src/index.js')
    const parcelo = conformance.carriers.find((c) => (c.name as string) === CARRIER)!
    const emulator = await conformance.startEmulator(CARRIER as never)
    const credentials = emulator.credentials as unknown as Record<string, string>
    try {
      const { merchantId, ...client } = credentials
      const token = (credentials: Record<string, string>) => parcelo.create(credentials, { baseUrl: emulator.url, retry: { maxAttempts: 1 } }).getToken()
      await expect(token({ ...client, merchantId: merchantId! })).resolves.toMatchObject({ tokenType: 'Bearer' })
      await expect(token(client)).resolves.toMatchObject({ tokenType: 'Bearer' })
      await expect(token({ ...client, merchantId: 'another-merchant' })).rejects.toMatchObject({ name: 'CarrierAuthError' })
      expect(emulator.responseViolations).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})
