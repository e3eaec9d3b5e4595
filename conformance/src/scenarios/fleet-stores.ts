import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock, TokenStore } from '@carrier-auth/core'
import { FileStore } from '@carrier-auth/core/file-store'
import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import { createRedisStore } from '@carrier-auth/redis'
import type { Pool, PoolConfig } from 'pg'
import type { Redis } from 'ioredis'

/**
 * The shared stores the fleet scenarios run on. Each opens `instances` stores on one fresh
 * namespace (as that many processes would), or a store whose backend is unreachable. A store with
 * no way yet to be shared across processes is a slot: its scenarios are n/a with the reason.
 */
export interface FleetStore {
  id: string
  name: string
  /** Why this store has no fleet scenarios yet (the cells are n/a), or undefined. */
  slot?: string
  /** What `unreachable()` opens, for the scenario's title (default: its server is unreachable). */
  unreachableAs?: string
  open(instances: number, clock: Clock): Promise<{ stores: TokenStore[]; close(): Promise<void> }>
  unreachable(): Promise<{ store: TokenStore; close(): Promise<void> }>
}

const REDIS = { host: '127.0.0.1', port: 6379 }
const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' }

/**
 * A client library is the user's (a peer of the store packages), not a dependency of this package:
 * it is loaded at run time, by a name the bundler leaves alone, and its absence makes the cell n/a.
 */
async function load<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch {
    throw new Error(`n/a: ${name} is not installed (the fleet scenarios need it)`)
  }
}

/** No server: the cell is n/a, unless the machine must have it (CARRIER_AUTH_REQUIRE_<NAME>=1). */
function missing(name: string, variable: string, error: unknown): Error {
  const why = `no ${name} (${error instanceof Error ? error.message : String(error)})`
  if (process.env[variable] === '1') return new Error(`${variable}=1 but ${why}`)
  return new Error(`n/a: ${why}`)
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function connectRedis(): Promise<Redis> {
  const { Redis } = await load<typeof import('ioredis')>('ioredis')
  const client = new Redis({ ...REDIS, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return client
  } catch (error) {
    client.disconnect()
    throw missing(`Redis on ${REDIS.host}:${REDIS.port}`, 'CARRIER_AUTH_REQUIRE_REDIS', error)
  }
}

async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    if (keys.length) await client.del(...keys)
  } while (cursor !== '0')
}

async function pgPool(config: PoolConfig): Promise<Pool> {
  const pg = await load<typeof import('pg') & { default?: typeof import('pg') }>('pg')
  const pool = new (pg.default ?? pg).Pool({ ...POSTGRES, max: 2, connectionTimeoutMillis: 2000, ...config })
  pool.on('error', () => {})
  return pool
}

const redis: FleetStore = {
  id: 'redis',
  name: 'Redis',
  async open(instances, clock) {
    const client = await connectRedis()
    const keyPrefix = `carrier-auth-conformance:${randomUUID()}:`
    return {
      stores: Array.from({ length: instances }, () => createRedisStore({ client, keyPrefix, clock })),
      async close() {
        await deleteKeys(client, keyPrefix)
        client.disconnect()
      },
    }
  },
  async unreachable() {
    const { Redis } = await load<typeof import('ioredis')>('ioredis')
    const client = new Redis({ host: '127.0.0.1', port: await closedPort(), retryStrategy: () => 100, maxRetriesPerRequest: null })
    client.on('error', () => {})
    return { store: createRedisStore({ client, commandTimeoutMs: 100 }), close: async () => client.disconnect() }
  },
}

const postgres: FleetStore = {
  id: 'postgres',
  name: 'PostgreSQL',
  async open(instances) {
    const admin = await pgPool({ max: 1 })
    const schema = `carrier_auth_conformance_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    try {
      await admin.query('SELECT 1')
    } catch (error) {
      await admin.end()
      throw missing(`PostgreSQL on ${POSTGRES.host}:${POSTGRES.port}`, 'CARRIER_AUTH_REQUIRE_POSTGRES', error)
    }
    await migrate(admin, { schema })
    const pools = await Promise.all(Array.from({ length: instances }, () => pgPool({})))
    return {
      stores: pools.map((pool) => createPostgresStore({ pool, schema })),
      async close() {
        await Promise.all(pools.map((p) => p.end()))
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await admin.end()
      },
    }
  },
  async unreachable() {
    const pool = await pgPool({ port: await closedPort() })
    return { store: createPostgresStore({ pool, queryTimeoutMs: 100 }), close: () => pool.end() }
  },
}

/**
 * FileStore shared by several processes on one machine: one instance per process on one file
 * (its lock and compare-and-set are cross-process: a lock file and a lease kept in the file).
 * "Unreachable" is a file that cannot be read or written (its folder is a regular file).
 */
const fileAcrossProcesses: FleetStore = {
  id: 'file',
  name: 'FileStore (one file, an instance per process)',
  unreachableAs: 'a FileStore whose file cannot be written (its folder is a file)',
  async open(instances, clock) {
    const folder = await mkdtemp(join(tmpdir(), 'carrier-auth-conformance-'))
    const path = join(folder, 'tokens.json')
    return {
      stores: Array.from({ length: instances }, () => new FileStore({ path, clock })),
      close: () => rm(folder, { recursive: true, force: true }),
    }
  },
  async unreachable() {
    const folder = await mkdtemp(join(tmpdir(), 'carrier-auth-conformance-'))
    const notAFolder = join(folder, 'not-a-folder')
    await writeFile(notAFolder, '')
    return { store: new FileStore({ path: join(notAFolder, 'tokens.json') }), close: () => rm(folder, { recursive: true, force: true }) }
  },
}

export const fleetStores: readonly FleetStore[] = [redis, postgres, fileAcrossProcesses]
