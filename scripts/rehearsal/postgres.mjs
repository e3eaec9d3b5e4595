// @carrier-auth/postgres installed with @carrier-auth/posti and pg (and @types/pg, as a TypeScript
// user would): ESM and CommonJS consumers migrate a schema of their own on the machine's
// PostgreSQL (127.0.0.1:5432, database `test`), share one token between two providers through
// it (one token request each), and drop the schema; a pg Pool type-checks as the store's pool.
import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { attempt, cellProblems, consumerTsconfig } from './carrier.mjs'
import { diskSize, installedPackages, installInto, npmEnv, resolvedElsewhere } from './install.mjs'
import { BIN, exec, MINUTE } from './process.mjs'

const SPECS = ['@carrier-auth/posti', '@carrier-auth/postgres', 'pg', '@types/pg']

const consumer = (kind) => `${
  kind === 'esm'
    ? `import { createPostiAuth } from '@carrier-auth/posti'
import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import pg from 'pg'`
    : `const { createPostiAuth } = require('@carrier-auth/posti')
const { createPostgresStore, migrate } = require('@carrier-auth/postgres')
const pg = require('pg')`
}
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

const SOURCES = {
  'consumer.mjs': consumer('esm'),
  'consumer.cjs': consumer('cjs'),
  'consumer.mts': `import { createPostgresStore, migrate, PostgresStoreError, type PostgresStore } from '@carrier-auth/postgres'
import pg from 'pg'
const pool = new pg.Pool()
const store: PostgresStore = createPostgresStore({ pool, schema: 'app', table: 'carrier_auth' })
export const ready: Promise<void> = migrate(pool)
export const code: string | undefined = new PostgresStoreError('x', 'timeout', 'get').code
export const held = store.lock('k', 1000)
`,
  'tsconfig.json': consumerTsconfig(['consumer.mts'], ['pg']),
}

export async function rehearsePostgres({ ctx, work, startEmulator }) {
  const dir = await installInto(join(work, 'postgres'), SPECS, ctx)
  const row = { carrier: 'posti + postgres', packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [] }
  const installed = await installedPackages(join(dir, 'node_modules'))
  row.packages = installed.map((p) => `${p.name}@${p.version}`)
  row.size = (await diskSize(join(dir, 'node_modules'))).bytes
  if (!installed.some((p) => p.name === '@carrier-auth/postgres')) row.problems.push('@carrier-auth/postgres was not installed')
  const cores = installed.filter((p) => p.name === '@carrier-auth/core')
  if (cores.length !== 1) row.problems.push(`${cores.length} copies of @carrier-auth/core: ${cores.map((p) => relative(dir, p.path)).join(', ')}`)
  const elsewhere = await resolvedElsewhere(dir, ctx.registry)
  if (elsewhere.length) row.problems.push(`not resolved from the local registry: ${elsewhere.join(', ')}`)
  row.deps = row.problems.length === 0

  for (const [name, text] of Object.entries(SOURCES)) await writeFile(join(dir, name), text)
  const emulator = await startEmulator('posti')
  try {
    const env = npmEnv(ctx, { REHEARSAL_CREDENTIALS: JSON.stringify(emulator.credentials), REHEARSAL_BASE_URL: emulator.url })
    const gotToken = (output) => {
      if (!emulator.issuedTokens.includes(output.trim())) throw new Error('the consumer printed no token issued by the emulator')
    }
    row.esm = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.mjs'], { cwd: dir, env, timeoutMs: 30_000 })))
    row.cjs = await attempt(async () => gotToken(await exec(process.execPath, ['consumer.cjs'], { cwd: dir, env, timeoutMs: 30_000 })))
    row.tsc = await attempt(() => exec(join(BIN, 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, env, timeoutMs: MINUTE }))
    // Two providers per consumer and one request per run: the second read the token from PostgreSQL.
    row.token = row.esm === true && row.cjs === true && emulator.stats.tokenRequests === 2
  } finally {
    await emulator.close()
  }
  return cellProblems(row)
}
