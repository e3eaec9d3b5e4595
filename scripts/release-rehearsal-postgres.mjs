// Release rehearsal, the PostgreSQL store: install @carrier-auth/posti, @carrier-auth/postgres and
// pg (with @types/pg, as a TypeScript user would) from the local registry into an empty folder,
// then prove that ESM and CommonJS consumers migrate a schema of their own on the machine's
// PostgreSQL (127.0.0.1:5432, database `test`), share one token between two providers through
// it (one token request), and drop the schema; and that a pg Pool type-checks as the store's pool.
// Called by scripts/release-rehearsal.mjs with its helpers; answers a row of its table.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const PACKAGES = ['@carrier-auth/posti', '@carrier-auth/postgres', 'pg', '@types/pg']

const consumer = (kind) => `${kind === 'esm' ? `import { createPostiAuth } from '@carrier-auth/posti'
import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import pg from 'pg'` : `const { createPostiAuth } = require('@carrier-auth/posti')
const { createPostgresStore, migrate } = require('@carrier-auth/postgres')
const pg = require('pg')`}
const main = async () => {
  const schema = 'carrier_auth_rehearsal_${kind}_' + process.pid
  const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 })
  pool.on('error', () => {})
  try {
    await migrate(pool, { schema })
    const options = { ...JSON.parse(process.env.REHEARSAL_CREDENTIALS), baseUrl: process.env.REHEARSAL_BASE_URL }
    const [a, b] = [0, 1].map(() => createPostiAuth({ ...options, store: createPostgresStore({ pool, schema }) }))
    const first = await a.getToken()
    const second = await b.getToken()
    if (first.accessToken !== second.accessToken) throw new Error('the second provider did not read the token from PostgreSQL')
    process.stdout.write(first.accessToken)
  } finally {
    await pool.query('DROP SCHEMA IF EXISTS "' + schema + '" CASCADE').catch(() => {})
    await pool.end()
  }
}
main().catch((error) => { console.error(error); process.exitCode = 1 })
`

const TYPED = `import { createPostgresStore, migrate, PostgresStoreError, type PostgresStore } from '@carrier-auth/postgres'
import pg from 'pg'
const pool = new pg.Pool()
const store: PostgresStore = createPostgresStore({ pool, schema: 'app', table: 'carrier_auth' })
export const ready: Promise<void> = migrate(pool)
export const code: string | undefined = new PostgresStoreError('x', 'timeout', 'get').code
export const held = store.lock('k', 1000)
`

export async function rehearsePostgres({ registry, npmrc, cache, work, startEmulator, exec, cleanEnv, attempt, bin }) {
  const dir = join(work, 'postgres')
  await mkdir(dir)
  const env = cleanEnv({ NPM_CONFIG_USERCONFIG: npmrc, npm_config_cache: cache, npm_config_update_notifier: 'false' })
  const row = { carrier: 'posti + postgres', packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [] }
  await exec('npm', ['init', '-y'], { cwd: dir, env })
  await exec('npm', ['install', ...PACKAGES, '--registry', registry, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir, env, timeoutMs: 3 * 60_000 })
  const lock = JSON.parse(await readFile(join(dir, 'node_modules', '.package-lock.json'), 'utf8'))
  row.packages = Object.keys(lock.packages ?? {}).filter((p) => p).map((p) => `${p.replace(/^.*node_modules\//, '')}@${lock.packages[p].version}`)
  const elsewhere = Object.entries(lock.packages ?? {}).filter(([path, meta]) => path && !meta.link && !meta.resolved?.startsWith(registry))
  if (elsewhere.length) row.problems.push(`not resolved from the local registry: ${elsewhere.map(([path]) => path).join(', ')}`)
  if (!row.packages.some((p) => p.startsWith('@carrier-auth/postgres@'))) row.problems.push('@carrier-auth/postgres was not installed')
  row.deps = row.problems.length === 0
  row.size = Number((await exec('du', ['-sk', join(dir, 'node_modules')], { cwd: dir, env })).split(/\s/)[0]) * 1024

  await writeFile(join(dir, 'consumer.mjs'), consumer('esm'))
  await writeFile(join(dir, 'consumer.cjs'), consumer('cjs'))
  await writeFile(join(dir, 'consumer.mts'), TYPED)
  const tsconfig = { compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, skipLibCheck: false, types: ['pg'] }, files: ['consumer.mts'] }
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)

  const emulator = await startEmulator('posti')
  try {
    const consumerEnv = { ...env, REHEARSAL_CREDENTIALS: JSON.stringify(emulator.credentials), REHEARSAL_BASE_URL: emulator.url }
    const gotToken = (output) => {
      if (!emulator.issuedTokens.includes(output.trim())) throw new Error('the consumer printed no token issued by the emulator')
    }
    row.esm = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.mjs'], { cwd: dir, env: consumerEnv, timeoutMs: 30_000 })))
    row.cjs = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.cjs'], { cwd: dir, env: consumerEnv, timeoutMs: 30_000 })))
    row.tsc = await attempt(() => exec(join(bin, 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, env, timeoutMs: 60_000 }))
    // Two providers per consumer, one request each run: the second read the token from PostgreSQL.
    row.token = row.esm === true && row.cjs === true && emulator.stats.tokenRequests === 2
  } finally {
    await emulator.close()
  }
  for (const kind of ['esm', 'cjs', 'tsc']) if (row[kind] !== true) row.problems.push(`${kind}: ${row[kind]}`)
  return row
}
