import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStore } from '@carrier-auth/core/file-store'
import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import { createRedisStore } from '@carrier-auth/redis'
import type { Pool, PoolConfig } from 'pg'
import type { Redis } from 'ioredis'
import { closedPort, type FleetStore, load, missing } from './fleet-store-support.js'
import { redisCluster } from './fleet-redis-cluster.js'
import { deleteKeys } from '@carrier-auth/testing-redis/delete-keys'

const REDIS = { host: '127.0.0.1', port: 6379 }
const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' }

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

export const fleetStores: readonly FleetStore[] = [redis, redisCluster, postgres, fileAcrossProcesses]

/** Stops whatever a fleet store started for the whole matrix (the Redis Cluster's nodes). */
export async function releaseFleetStores(): Promise<void> {
  await Promise.all(fleetStores.map((s) => s.release?.()))
}

export type { FleetStore }
