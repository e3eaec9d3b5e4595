// What installing each kind of package costs a user (packages and bytes), and what it must not bring.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { columns } from './carrier.mjs'
import { closure, diskSize, installedPackages, installInto, kB, npmEnv } from './install.mjs'
import { exec } from './process.mjs'

const names = (installed) => installed.map((p) => p.name)

/** Each install: what it is, and the problems with what arrived (none expected). */
const INSTALLS = [
  { label: 'a carrier', specs: ['@carrier-auth/posti'], check: () => [] },
  {
    label: 'the emulators',
    specs: ['@carrier-auth/emulators'],
    check: (installed) => {
      const allowed = new Set(['@carrier-auth/emulators', ...closure(installed, 'ajv')])
      const extra = names(installed).filter((name) => !allowed.has(name))
      return extra.length ? [`brings more than ajv's tree: ${extra.join(', ')}`] : []
    },
  },
  { label: 'the conformance matrix', specs: ['@carrier-auth/conformance'], check: (installed) => noStoreClients(installed) },
  { label: 'the CLI', specs: ['@carrier-auth/cli'], check: (installed) => noStoreClients(installed) },
  {
    label: 'all of them together',
    specs: ['@carrier-auth/posti', '@carrier-auth/redis', 'ioredis', '@carrier-auth/cli', '@carrier-auth/emulators'],
    check: (installed) => {
      const cores = installed.filter((p) => p.name === '@carrier-auth/core')
      return cores.length === 1 ? [] : [`${cores.length} copies of @carrier-auth/core: ${cores.map((p) => p.version).join(', ')}`]
    },
  },
]

// ioredis and pg are optional peers of the Redis and PostgreSQL stores: only a user who creates a
// client or a pool installs them.
function noStoreClients(installed) {
  const found = names(installed)
  return [
    ...(found.includes('ioredis') ? ['installs ioredis, which only a Redis store user needs'] : []),
    ...(found.includes('pg') ? ['installs pg, which only a PostgreSQL store user needs'] : []),
  ]
}

/** The emulators package in use, from ESM and from CommonJS: a Posti token from its emulator. */
async function emulatorsWork(dir, ctx) {
  await installInto(dir, ['@carrier-auth/posti'], ctx)
  const body = (load) => `${load}
const emulator = await startEmulator('posti')
const token = await createPostiAuth({ ...emulator.credentials, baseUrl: emulator.url }).getToken()
const ok = emulator.issuedTokens.includes(token.accessToken)
await emulator.close()
if (!ok) throw new Error('no token from the emulator')
`
  await writeFile(join(dir, 'emulators.mjs'), body(`import { startEmulator } from '@carrier-auth/emulators'\nimport { createPostiAuth } from '@carrier-auth/posti'`))
  await writeFile(
    join(dir, 'emulators.cjs'),
    `const { startEmulator } = require('@carrier-auth/emulators')\nconst { createPostiAuth } = require('@carrier-auth/posti')\n;(async () => {${body('')}})().catch((e) => { console.error(e); process.exitCode = 1 })\n`,
  )
  const problems = []
  for (const file of ['emulators.mjs', 'emulators.cjs']) {
    await exec(process.execPath, [file], { cwd: dir, env: npmEnv(ctx), timeoutMs: 30_000 }).catch((error) => problems.push(`${file}: ${error.message}`))
  }
  return problems
}

/** The CLI as installed: its binary answers --version and help. */
async function cliWorks(dir, ctx, version) {
  const bin = join(dir, 'node_modules', '.bin', 'carrier-auth')
  const problems = []
  const printed = await exec(bin, ['--version'], { cwd: dir, env: npmEnv(ctx) }).catch((error) => error.message)
  if (printed.trim() !== version) problems.push(`carrier-auth --version printed ${JSON.stringify(printed.trim())}, not ${version}`)
  await exec(bin, ['help'], { cwd: dir, env: npmEnv(ctx) }).catch((error) => problems.push(`carrier-auth help: ${error.message}`))
  return problems
}

export async function footprint({ ctx, work, version }) {
  const rows = []
  for (const [i, install] of INSTALLS.entries()) {
    const dir = await installInto(join(work, `footprint-${i}`), install.specs, ctx)
    const installed = await installedPackages(join(dir, 'node_modules'))
    const size = await diskSize(join(dir, 'node_modules'))
    const problems = install.check(installed)
    if (install.specs[0] === '@carrier-auth/emulators') problems.push(...(await emulatorsWork(dir, ctx)))
    if (install.specs[0] === '@carrier-auth/cli') problems.push(...(await cliWorks(dir, ctx, version)))
    rows.push({ ...install, count: installed.length, size, problems })
  }
  const table = columns([
    ['npm install', 'packages', 'size', 'on disk', 'checks'],
    ...rows.map((r) => [`${r.specs.join(' ')} (${r.label})`, String(r.count), kB(r.size.bytes), kB(r.size.onDisk), r.problems.length ? 'FAIL' : 'ok']),
  ])
  return { rows, table }
}
