#!/usr/bin/env node
// Release rehearsal: publish every package with `changeset publish` to a throwaway local registry
// (verdaccio on 127.0.0.1), then install each carrier package from it into an empty folder the way
// a user would, and prove that only the carrier, core and openapi-fetch's own packages arrive and
// that ESM, CommonJS and TypeScript consumers all work and get a token from an emulator; then the
// same for @carrier-auth/opentelemetry beside a carrier and the OpenTelemetry SDK (one copy of core).
//
// `pnpm release:rehearse`. Bounded in time, 127.0.0.1 only (verdaccio reaches the npm registry
// for openapi-fetch on the consumers' behalf), and it removes everything it made on any exit.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rehearsePostgres } from './release-rehearsal-postgres.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'node_modules', '.bin')
const started = Date.now()
/** The whole rehearsal (five carriers and the PostgreSQL store); past it, everything is stopped and the run fails. */
const DEADLINE_MS = 8 * 60_000
const MINUTE = 60_000

// The public contract (DESIGN.md): what a user of each carrier package imports.
const FACTORIES = {
  posti: 'createPostiAuth',
  'pitney-bowes': 'createPitneyBowesAuth',
  postfinance: 'createPostFinanceAuth',
  packly: 'createPacklyAuth',
  'dhl-ecommerce': 'createDhlEcommerceAuth',
}

// ---------------------------------------------------------------- cleanup, on every way out

const cleanups = []
const children = new Set()
let cleaning

/** Runs the registered cleanups once, newest first; each failure is reported, none stops the rest. */
function cleanup() {
  cleaning ??= (async () => {
    for (const child of children) killTree(child, 'SIGTERM')
    for (const step of cleanups.reverse()) {
      try {
        await step()
      } catch (error) {
        console.error(`cleanup: ${error.message}`)
      }
    }
    for (const child of children) killTree(child, 'SIGKILL')
  })()
  return cleaning
}

/** Children run in their own process group, so npm's and pnpm's own children stop with them. */
function killTree(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

async function finish(code) {
  await cleanup()
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\nrelease rehearsal: ${signal}, cleaning up`)
    void finish(130)
  })
}
const deadline = setTimeout(() => {
  console.error(`release rehearsal: over ${DEADLINE_MS / MINUTE} minutes, giving up`)
  void finish(1)
}, DEADLINE_MS)
deadline.unref()

// ---------------------------------------------------------------- small tools

const log = (text) => console.log(text)
const step = (text) => log(`\n▸ ${text} (${seconds(Date.now() - started)})`)
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

class Failure extends Error {}

/**
 * Runs a command with a time limit and returns its output; fails with the output's tail.
 * The environment is the rehearsal's own (`env`), never the caller's npm settings: `pnpm run`
 * exports npm_config_* variables that would point installs at the real registry.
 */
function exec(command, args, { cwd = ROOT, env, timeoutMs = 2 * MINUTE, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    let output = ''
    const collect = (chunk) => {
      output += chunk
      if (!quiet) process.stdout.write(chunk)
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    const timer = setTimeout(() => {
      killTree(child, 'SIGKILL')
      reject(new Failure(`${command} ${args.join(' ')}: no result within ${seconds(timeoutMs)}\n${tail(output)}`))
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      children.delete(child)
      reject(new Failure(`${command}: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      children.delete(child)
      if (code === 0) resolve(output)
      else reject(new Failure(`${command} ${args.join(' ')} exited ${code}\n${tail(output)}`))
    })
  })
}

const tail = (text) => text.trim().split('\n').slice(-40).join('\n')

/** The environment without any npm/pnpm configuration inherited from the caller. */
function cleanEnv(extra) {
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_|^pnpm_/i.test(name)) env[name] = value
  }
  return { ...env, CI: 'true', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...extra }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitFor(what, probe, timeoutMs) {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await probe()) return
    } catch {
      // Not up yet.
    }
    if (Date.now() > until) throw new Failure(`${what} did not come up within ${seconds(timeoutMs)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

// ---------------------------------------------------------------- the local registry

/** Our scope is local only (a name can never be resolved from the real registry); the rest is proxied. */
function verdaccioConfig(dir, port) {
  return `# Written by scripts/release-rehearsal.mjs; removed when it ends.
storage: ${JSON.stringify(join(dir, 'storage'))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(dir, 'htpasswd'))}
    max_users: 10
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
    max_fails: 5
packages:
  '@carrier-auth/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
server:
  keepAliveTimeout: 60
listen: 127.0.0.1:${port}
log: { type: stdout, format: pretty, level: warn }
`
}

/** Another process may take the free port before verdaccio binds it: try a few. */
async function startRegistry(dir) {
  for (let tries = 1; ; tries++) {
    try {
      return await startRegistryOnce(dir, await freePort())
    } catch (error) {
      if (tries >= 3) throw error
      log(`verdaccio did not start (${error.message.split('\n')[0]}); trying another port`)
    }
  }
}

async function startRegistryOnce(dir, port) {
  const url = `http://127.0.0.1:${port}/`
  const config = join(dir, 'verdaccio.yaml')
  await writeFile(config, verdaccioConfig(dir, port))
  const child = spawn(join(BIN, 'verdaccio'), ['--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    env: cleanEnv({}),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (c) => (output += c))
  child.stderr.setEncoding('utf8').on('data', (c) => (output += c))
  const exited = new Promise((resolve) => child.on('close', resolve))
  cleanups.push(async () => {
    killTree(child, 'SIGTERM')
    const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))])
    if (!stopped) killTree(child, 'SIGKILL')
    children.delete(child)
  })
  await waitFor('verdaccio', async () => {
    if (child.exitCode !== null) throw new Failure(`verdaccio exited ${child.exitCode}:\n${tail(output)}`)
    return (await fetch(`${url}-/ping`)).ok
  }, 30_000).catch((error) => {
    throw error instanceof Failure && child.exitCode !== null ? error : new Failure(`${error.message}\n${tail(output)}`)
  })
  return { url, port }
}

/** Creates a user (CouchDB-style adduser) and returns its token. */
async function createUser(registry) {
  const name = `rehearsal-${process.pid}`
  const res = await fetch(`${registry}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password: `pw-${Date.now()}-${Math.random()}`, type: 'user', roles: [], date: new Date().toISOString() }),
  })
  const body = await res.json().catch(() => ({}))
  if (res.status !== 201 || typeof body.token !== 'string') throw new Failure(`verdaccio refused the user: HTTP ${res.status} ${JSON.stringify(body)}`)
  return body.token
}

// ---------------------------------------------------------------- publishing

async function workspacePackages() {
  const out = await exec('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { env: cleanEnv({}) })
  return JSON.parse(out).filter((p) => p.name && p.path !== ROOT)
}

async function gitState() {
  if (!existsSync(join(ROOT, '.git'))) return undefined
  const env = cleanEnv({})
  // Only what a publish could touch: manifests, changelogs, changesets, the lockfile, tags.
  const status = await exec('git', ['status', '--porcelain', '--', ':(glob)**/package.json', ':(glob)**/CHANGELOG.md', '.changeset', 'pnpm-lock.yaml'], { env })
  const tags = await exec('git', ['tag', '--list'], { env })
  return `${status}\n--tags--\n${tags}`
}

/** Every `workspace:` and `catalog:` range must have become a real version in the published manifest. */
async function checkPublished(registry, packages, unpublished) {
  const problems = []
  const internal = []
  for (const pkg of unpublished) {
    const res = await fetch(`${registry}${pkg.name.replace('/', '%2f')}`)
    if (res.status !== 404) problems.push(`${pkg.name} is private but the registry has it (HTTP ${res.status})`)
  }
  for (const pkg of packages) {
    const res = await fetch(`${registry}${pkg.name.replace('/', '%2f')}`)
    if (!res.ok) {
      problems.push(`${pkg.name}: not in the registry (HTTP ${res.status})`)
      continue
    }
    const manifest = (await res.json()).versions?.[pkg.version]
    if (!manifest) {
      problems.push(`${pkg.name}@${pkg.version}: version missing from the packument`)
      continue
    }
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (/^(workspace|catalog):/.test(range)) problems.push(`${pkg.name}: ${field}.${dep} is still "${range}"`)
        else if (dep.startsWith('@carrier-auth/')) internal.push(`${pkg.name} → ${dep}@${range}`)
      }
    }
  }
  if (problems.length) throw new Failure(`published manifests are wrong:\n  ${problems.join('\n  ')}`)
  return internal
}

// ---------------------------------------------------------------- one carrier, installed like a user would

/** Every package under node_modules (nested and scoped included), by folder. */
async function installedPackages(nodeModules) {
  const found = []
  async function walk(dir) {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.name.startsWith('@')) {
        await walk(path)
        continue
      }
      const manifest = JSON.parse(await readFile(join(path, 'package.json'), 'utf8'))
      found.push({ name: manifest.name, version: manifest.version, dependencies: Object.keys(manifest.dependencies ?? {}), path })
      await walk(join(path, 'node_modules'))
    }
  }
  await walk(nodeModules)
  return found
}

/** The packages reachable from `root` through `dependencies`: openapi-fetch's own tree. */
function closure(packages, root) {
  const byName = new Map(packages.map((p) => [p.name, p]))
  const seen = new Set()
  const queue = [root]
  while (queue.length) {
    const name = queue.shift()
    if (seen.has(name) || !byName.has(name)) continue
    seen.add(name)
    queue.push(...byName.get(name).dependencies)
  }
  return seen
}

async function diskSize(dir) {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size
  }
  return total
}

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
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          // Type-check the published declarations too, not only this file.
          skipLibCheck: false,
          types: [],
        },
        files: ['consumer.mts', 'consumer.cts'],
      },
      null,
      2,
    )}\n`,
  }
}

/** A result cell: true, or the reason it failed. */
async function attempt(run) {
  try {
    await run()
    return true
  } catch (error) {
    return error.message
  }
}

async function rehearseCarrier({ carrier, registry, npmrc, cache, work, startEmulator }) {
  const pkg = `@carrier-auth/${carrier}`
  const dir = join(work, carrier)
  await mkdir(dir)
  const env = cleanEnv({ NPM_CONFIG_USERCONFIG: npmrc, npm_config_cache: cache, npm_config_update_notifier: 'false' })
  const row = { carrier, packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [] }

  await exec('npm', ['init', '-y'], { cwd: dir, env })
  await exec('npm', ['install', pkg, '--registry', registry, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir, env, timeoutMs: 3 * MINUTE })

  const nodeModules = join(dir, 'node_modules')
  const installed = await installedPackages(nodeModules)
  row.packages = installed.map((p) => `${p.name}@${p.version}`)
  row.size = await diskSize(nodeModules)
  const allowed = new Set([pkg, '@carrier-auth/core', ...closure(installed, 'openapi-fetch')])
  if (!installed.some((p) => p.name === 'openapi-fetch')) row.problems.push('openapi-fetch was not installed')
  const extra = installed.filter((p) => !allowed.has(p.name)).map((p) => relative(dir, p.path))
  if (extra.length) row.problems.push(`unexpected packages: ${extra.join(', ')}`)

  // Every tarball came from the local registry, and from nowhere else.
  const lock = JSON.parse(await readFile(join(nodeModules, '.package-lock.json'), 'utf8'))
  const elsewhere = Object.entries(lock.packages ?? {}).filter(([path, meta]) => path && !meta.link && !meta.resolved?.startsWith(registry))
  if (elsewhere.length) row.problems.push(`not resolved from the local registry: ${elsewhere.map(([path, meta]) => `${path} ← ${meta.resolved ?? 'unknown'}`).join(', ')}`)
  row.deps = row.problems.length === 0

  const emulator = await startEmulator(carrier)
  try {
    for (const [name, text] of Object.entries(consumerSources(carrier, FACTORIES[carrier], emulator.credentials, emulator.url))) {
      await writeFile(join(dir, name), text)
    }
    const consumerEnv = { ...env, REHEARSAL_CREDENTIALS: JSON.stringify(emulator.credentials), REHEARSAL_BASE_URL: emulator.url }
    const gotToken = (output) => {
      if (!emulator.issuedTokens.includes(output.trim())) throw new Error('the consumer printed no token issued by the emulator')
    }
    row.esm = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.mjs'], { cwd: dir, env: consumerEnv, timeoutMs: 30_000 })))
    row.cjs = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.cjs'], { cwd: dir, env: consumerEnv, timeoutMs: 30_000 })))
    row.tsc = await attempt(() => exec(join(BIN, 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, env, timeoutMs: MINUTE }))
    row.token = row.esm === true && row.cjs === true && emulator.stats.tokenRequests >= 2
  } finally {
    await emulator.close()
  }
  for (const kind of ['esm', 'cjs', 'tsc']) if (row[kind] !== true) row.problems.push(`${kind}: ${row[kind]}`)
  return row
}

// ---------------------------------------------------------------- @carrier-auth/opentelemetry, installed beside a carrier

/**
 * The OpenTelemetry package with a carrier, the API and the SDK's metrics, the way a user adds it:
 * one copy of core must arrive, and ESM, CommonJS and TypeScript consumers record a token request.
 */
async function rehearseTelemetry({ registry, npmrc, cache, work, startEmulator }) {
  const carrier = 'pitney-bowes'
  const dir = join(work, 'opentelemetry')
  await mkdir(dir)
  const env = cleanEnv({ NPM_CONFIG_USERCONFIG: npmrc, npm_config_cache: cache, npm_config_update_notifier: 'false' })
  const row = { carrier: 'opentelemetry', packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [] }
  await exec('npm', ['init', '-y'], { cwd: dir, env })
  const wanted = ['@carrier-auth/opentelemetry', `@carrier-auth/${carrier}`, '@opentelemetry/api', '@opentelemetry/sdk-metrics@^2']
  await exec('npm', ['install', ...wanted, '--registry', registry, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir, env, timeoutMs: 3 * MINUTE })
  const installed = await installedPackages(join(dir, 'node_modules'))
  row.packages = installed.map((p) => `${p.name}@${p.version}`)
  row.size = await diskSize(join(dir, 'node_modules'))
  const cores = installed.filter((p) => p.name === '@carrier-auth/core')
  if (cores.length !== 1) row.problems.push(`${cores.length} copies of @carrier-auth/core: ${cores.map((p) => relative(dir, p.path)).join(', ')}`)
  const ours = new Set(['@carrier-auth/core', '@carrier-auth/opentelemetry', `@carrier-auth/${carrier}`])
  const extra = installed.filter((p) => p.name.startsWith('@carrier-auth/') && !ours.has(p.name)).map((p) => p.name)
  if (extra.length) row.problems.push(`unexpected packages: ${extra.join(', ')}`)
  row.deps = row.problems.length === 0

  const factory = FACTORIES[carrier]
  const body = (load) => `${load}
const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3600000 })
const auth = ${factory}({ ...JSON.parse(process.env.REHEARSAL_CREDENTIALS), baseUrl: process.env.REHEARSAL_BASE_URL, onEvent: carrierAuthTelemetry({ meterProvider: new MeterProvider({ readers: [reader] }) }) })
auth.getToken().then(async () => {
  const { resourceMetrics } = await reader.collect()
  const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name))
  process.stdout.write(names.includes(METRICS.requests) ? 'recorded' : 'nothing recorded: ' + names.join(','))
}, (error) => { console.error(error); process.exitCode = 1 })
`
  const sdk = 'AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader'
  await writeFile(join(dir, 'consumer.mjs'), body(`import { carrierAuthTelemetry, METRICS } from '@carrier-auth/opentelemetry'
import { ${factory} } from '@carrier-auth/${carrier}'
import { ${sdk} } from '@opentelemetry/sdk-metrics'`))
  await writeFile(join(dir, 'consumer.cjs'), body(`const { carrierAuthTelemetry, METRICS } = require('@carrier-auth/opentelemetry')
const { ${factory} } = require('@carrier-auth/${carrier}')
const { ${sdk} } = require('@opentelemetry/sdk-metrics')`))
  await writeFile(join(dir, 'consumer.mts'), `import { carrierAuthTelemetry, type CarrierAuthTelemetryOptions } from '@carrier-auth/opentelemetry'
import type { EventListener } from '@carrier-auth/core'
import { metrics } from '@opentelemetry/api'
const options: CarrierAuthTelemetryOptions = { meterProvider: metrics.getMeterProvider() }
export const onEvent: EventListener = carrierAuthTelemetry(options)
`)
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['consumer.mts'] }))

  const emulator = await startEmulator(carrier)
  try {
    const consumerEnv = { ...env, REHEARSAL_CREDENTIALS: JSON.stringify(emulator.credentials), REHEARSAL_BASE_URL: emulator.url }
    const recorded = (output) => {
      if (output.trim() !== 'recorded') throw new Error(`the consumer recorded no token request: ${output.trim()}`)
    }
    row.esm = await attempt(async () => recorded(await exec(process.execPath, ['consumer.mjs'], { cwd: dir, env: consumerEnv, timeoutMs: 30_000 })))
    row.cjs = await attempt(async () => recorded(await exec(process.execPath, ['consumer.cjs'], { cwd: dir, env: consumerEnv, timeoutMs: 30_000 })))
    row.tsc = await attempt(() => exec(join(BIN, 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, env, timeoutMs: MINUTE }))
    row.token = row.esm === true && row.cjs === true && emulator.stats.tokenRequests >= 2
  } finally {
    await emulator.close()
  }
  for (const kind of ['esm', 'cjs', 'tsc']) if (row[kind] !== true) row.problems.push(`${kind}: ${row[kind]}`)
  return row
}

// ---------------------------------------------------------------- the run

function table(rows) {
  const mark = (ok) => (ok === true ? 'ok' : 'FAIL')
  // deps: only the carrier, core and openapi-fetch's own tree arrived, all from the local registry.
  const lines = [['carrier', 'packages installed', 'deps', 'size', 'esm', 'cjs', 'tsc', 'token']]
  for (const r of rows) {
    lines.push([r.carrier, String(r.packages.length), mark(r.deps), `${(r.size / 1024).toFixed(0)} kB`, mark(r.esm), mark(r.cjs), mark(r.tsc), mark(r.token)])
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)))
  return lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n')
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'carrier-auth-rehearsal-'))
  cleanups.push(() => rm(work, { recursive: true, force: true }))
  log(`release rehearsal in ${work}`)

  step('build (turbo; cached when the workspace is already built)')
  await exec('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only'], { env: cleanEnv({}), timeoutMs: 5 * MINUTE })

  step('local registry')
  const registryDir = join(work, 'registry')
  await mkdir(registryDir)
  const { url: registry, port } = await startRegistry(registryDir)
  const token = await createUser(registry)
  const npmrc = join(work, 'npmrc')
  await writeFile(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\naudit=false\nfund=false\nupdate-notifier=false\nomit-lockfile-registry-resolved=false\n`, { mode: 0o600 })
  log(`verdaccio at ${registry}`)

  step('changeset publish')
  const packages = await workspacePackages()
  const publishable = packages.filter((p) => !p.private)
  const before = await gitState()
  await exec('pnpm', ['exec', 'changeset', 'publish', '--no-git-tag'], {
    // changesets reads npm_config_registry to pick the registry and hands it to `pnpm publish`;
    // the user config carries the token for it.
    env: cleanEnv({ npm_config_registry: registry, NPM_CONFIG_REGISTRY: registry, NPM_CONFIG_USERCONFIG: npmrc }),
    timeoutMs: 4 * MINUTE,
  })
  const internal = await checkPublished(registry, publishable, packages.filter((p) => p.private))
  log(`published ${publishable.map((p) => `${p.name}@${p.version}`).join(', ')}`)
  log(`internal ranges published as versions: ${internal.filter((line) => line.includes('→ @carrier-auth/core@')).join('; ')}`)
  const after = await gitState()
  if (before !== after) throw new Failure(`publishing changed the repository:\nbefore:\n${before}\nafter:\n${after}`)

  step('install each carrier package into an empty folder, from the local registry alone')
  const { startEmulator } = await import(pathToFileURL(join(ROOT, 'conformance', 'dist', 'index.js')).href)
  const cache = join(work, 'npm-cache')
  const rows = []
  for (const carrier of Object.keys(FACTORIES)) {
    const t0 = Date.now()
    const row = await rehearseCarrier({ carrier, registry, npmrc, cache, work, startEmulator }).catch((error) => ({
      carrier,
      packages: [],
      deps: false,
      size: 0,
      esm: false,
      cjs: false,
      tsc: false,
      token: false,
      problems: [error.message],
    }))
    rows.push(row)
    log(`${row.problems.length ? '✗' : '✓'} @carrier-auth/${carrier} (${seconds(Date.now() - t0)}): ${row.packages.join(', ') || 'nothing installed'}`)
    for (const problem of row.problems) log(`    ${problem.split('\n').join('\n    ')}`)
  }

  step('install @carrier-auth/opentelemetry beside a carrier, the OpenTelemetry API and SDK')
  const t0 = Date.now()
  const row = await rehearseTelemetry({ registry, npmrc, cache, work, startEmulator }).catch((error) => ({
    carrier: 'opentelemetry',
    packages: [],
    deps: false,
    size: 0,
    esm: false,
    cjs: false,
    tsc: false,
    token: false,
    problems: [error.message],
  }))
  rows.push(row)
  log(`${row.problems.length ? '✗' : '✓'} @carrier-auth/opentelemetry (${seconds(Date.now() - t0)}): ${row.packages.join(', ') || 'nothing installed'}`)
  for (const problem of row.problems) log(`    ${problem.split('\n').join('\n    ')}`)
  step('install @carrier-auth/postgres with pg and share a token through PostgreSQL')
  const t1 = Date.now()
  const pgRow = await rehearsePostgres({ registry, npmrc, cache, work, startEmulator, exec, cleanEnv, attempt, bin: BIN }).catch((error) => ({ carrier: 'posti + postgres', packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [error.message] }))
  rows.push(pgRow)
  log(`${pgRow.problems.length ? '✗' : '✓'} @carrier-auth/postgres (${seconds(Date.now() - t1)}): ${pgRow.packages.join(', ') || 'nothing installed'}`)
  for (const problem of pgRow.problems) log(`    ${problem.split('\n').join('\n    ')}`)

  const duration = Date.now() - started
  log(`\n${table(rows)}\n`)
  const failed = rows.filter((r) => r.problems.length || !r.token)
  log(`release rehearsal: ${rows.length - failed.length} passed, ${failed.length} failed in ${seconds(duration)}`)
  return failed.length ? 1 : 0
}

main().then(finish, (error) => {
  console.error(`\nrelease rehearsal failed: ${error instanceof Failure ? error.message : error.stack}`)
  void finish(1)
})
