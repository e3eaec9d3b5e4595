// One carrier package, installed like a user would, used from ESM, CommonJS and TypeScript.
import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { BIN, exec, MINUTE } from './process.mjs'
import { closure, diskSize, installedPackages, installInto, npmEnv, resolvedElsewhere } from './install.mjs'

import { discoverCarriers } from '../carriers/discover.mjs'

// The public contract (DESIGN.md): what a user of each carrier package imports, as each carrier
// package's manifest names it ("carrier-auth".factory): every carrier of the workspace.
export const FACTORIES = Object.fromEntries((await discoverCarriers()).map((c) => [c.name, c.factory]))

function consumerSources(carrier, factory, credentials, baseUrl) {
  const pkg = `@carrier-auth/${carrier}`
  // Credentials and the emulator URL come in through the environment, as in a user's app.
  const options = `{ ...JSON.parse(process.env.REHEARSAL_CREDENTIALS), baseUrl: process.env.REHEARSAL_BASE_URL }`
  // The TypeScript consumer is only type-checked: literal options in the factory's own shape.
  const literal = JSON.stringify({ ...credentials, baseUrl })
  return {
    'consumer.mjs': `import { ${factory} } from '${pkg}'
const token = await ${factory}(${options}).getToken()
process.stdout.write(token.accessToken)
`,
    'consumer.cjs': `const { ${factory} } = require('${pkg}')
${factory}(${options}).getToken().then(
  (token) => process.stdout.write(token.accessToken),
  (error) => { console.error(error); process.exitCode = 1 },
)
`,
    'consumer.mts': `import { ${factory}, CarrierAuthError, type AccessToken, type CarrierAuth } from '${pkg}'
const auth: CarrierAuth = ${factory}(${literal})
const token: AccessToken = await auth.getToken({ forceRefresh: false })
const header: string = await auth.authorizationHeader()
const expiresAt: number = token.expiresAt
export const seen: [string, number, boolean] = [header, expiresAt, CarrierAuthError.isInstance(new Error())]
`,
    'consumer.cts': `import { ${factory}, type AccessToken } from '${pkg}'
export const pending: Promise<AccessToken> = ${factory}(${literal}).getToken()
`,
    'tsconfig.json': consumerTsconfig(['consumer.mts', 'consumer.cts']),
  }
}

/** A result cell: true, or the reason it failed. */
export async function attempt(run) {
  try {
    await run()
    return true
  } catch (error) {
    return error.message
  }
}

export async function rehearseCarrier(carrier, { ctx, work, startEmulator }) {
  const pkg = `@carrier-auth/${carrier}`
  const dir = await installInto(join(work, carrier), [pkg], ctx)
  const row = { carrier, packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [] }

  const installed = await installedPackages(join(dir, 'node_modules'))
  row.packages = installed.map((p) => `${p.name}@${p.version}`)
  row.size = (await diskSize(join(dir, 'node_modules'))).bytes
  // Only the carrier, core and openapi-fetch's own tree arrive.
  const allowed = new Set([pkg, '@carrier-auth/core', ...closure(installed, 'openapi-fetch')])
  if (!installed.some((p) => p.name === 'openapi-fetch')) row.problems.push('openapi-fetch was not installed')
  const extra = installed.filter((p) => !allowed.has(p.name)).map((p) => relative(dir, p.path))
  if (extra.length) row.problems.push(`unexpected packages: ${extra.join(', ')}`)
  const elsewhere = await resolvedElsewhere(dir, ctx.registry)
  if (elsewhere.length) row.problems.push(`not resolved from the local registry: ${elsewhere.join(', ')}`)
  row.deps = row.problems.length === 0

  const emulator = await startEmulator(carrier)
  try {
    for (const [name, text] of Object.entries(consumerSources(carrier, FACTORIES[carrier], emulator.credentials, emulator.url))) {
      await writeFile(join(dir, name), text)
    }
    const env = npmEnv(ctx, { REHEARSAL_CREDENTIALS: JSON.stringify(emulator.credentials), REHEARSAL_BASE_URL: emulator.url })
    const gotToken = (output) => {
      if (!emulator.issuedTokens.includes(output.trim())) throw new Error('the consumer printed no token issued by the emulator')
    }
    row.esm = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.mjs'], { cwd: dir, env, timeoutMs: 30_000 })))
    row.cjs = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.cjs'], { cwd: dir, env, timeoutMs: 30_000 })))
    row.tsc = await attempt(() => exec(join(BIN, 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, env, timeoutMs: MINUTE }))
    row.token = row.esm === true && row.cjs === true && emulator.stats.tokenRequests >= 2
  } finally {
    await emulator.close()
  }
  return cellProblems(row)
}

/** The row of an install step that failed before it could fill its cells. */
export const failedRow = (carrier, error) => ({ carrier, packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [error.message] })

/** Every cell that is not `true` becomes a problem of the row. */
export function cellProblems(row) {
  for (const kind of ['esm', 'cjs', 'tsc']) if (row[kind] !== true) row.problems.push(`${kind}: ${row[kind]}`)
  return row
}

/** The tsconfig of a consumer folder: strict, nodenext, and the published declarations checked too. */
export const consumerTsconfig = (files, types = []) =>
  `${JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, skipLibCheck: false, types }, files }, null, 2)}\n`

export function carrierTable(rows) {
  const mark = (ok) => (ok === true ? 'ok' : 'FAIL')
  // deps: what arrived passed the row's checks (a carrier: only it, core and openapi-fetch's own tree;
  // an add-on: one copy of core), all from the local registry.
  const lines = [['carrier', 'packages installed', 'deps', 'size', 'esm', 'cjs', 'tsc', 'token']]
  for (const r of rows) {
    lines.push([r.carrier, String(r.packages.length), mark(r.deps), `${(r.size / 1024).toFixed(0)} kB`, mark(r.esm), mark(r.cjs), mark(r.tsc), mark(r.token)])
  }
  return columns(lines)
}

export function columns(lines) {
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)))
  return lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n')
}
