// The stores the store benchmarks compare, each on a fresh namespace of its own (a Redis key
// prefix, a PostgreSQL schema, a temporary file) or a server of its own (a 3-master Redis Cluster
// started with redis-server and redis-cli, its PIDs stopped), closed and removed after the run.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryStore } from '@carrier-auth/core'
import { FileStore } from '@carrier-auth/core/file-store'
import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import { createRedisStore } from '@carrier-auth/redis'
import { startClusterNodes } from '@carrier-auth/testing-redis/cluster-nodes'
import { Cluster, Redis } from 'ioredis'
import pg from 'pg'

export const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379)
export const POSTGRES = { host: '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: 'postgres', database: 'test' }

/** Each backend: open() → { store(), worker (the fleet worker's store config, or a reason it has none), close() }. */
export const backends = {
  MemoryStore: async () => ({ store: () => new MemoryStore(), worker: 'in process: no fleet', close: async () => {} }),
  FileStore: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-auth-bench-'))
    const path = join(dir, 'tokens.json')
    return {
      store: () => new FileStore({ path }),
      // Every process of one machine on one file (its lock and compare-and-set are cross-process).
      worker: { file: path },
      close: () => rm(dir, { recursive: true, force: true }),
    }
  },
  Redis: async () => {
    const clients = []
    const client = () => {
      const c = new Redis({ host: '127.0.0.1', port: REDIS_PORT, retryStrategy: () => null, maxRetriesPerRequest: 1 })
      c.on('error', () => {})
      clients.push(c)
      return c
    }
    await client().ping()
    const keyPrefix = `carrier-auth-bench:${randomUUID()}:`
    return {
      store: () => createRedisStore({ client: client(), keyPrefix }),
      worker: { redisPort: REDIS_PORT, keyPrefix },
      async close() {
        const admin = clients[0]
        let cursor = '0'
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500)
          cursor = next
          if (keys.length) await admin.del(...keys)
        } while (cursor !== '0')
        for (const c of clients) c.disconnect()
      },
    }
  },
  'Redis Cluster': async () => {
    const nodes = await startClusterNodes({ masters: 3 })
    const clients = []
    const client = () => {
      const c = new Cluster(nodes.startupNodes, { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 1 } })
      c.on('error', () => {})
      clients.push(c)
      return c
    }
    const keyPrefix = `carrier-auth-bench:${randomUUID()}:`
    return {
      // Each store its own Cluster client (as each process of a fleet has); connecting may be slow under load.
      store: () => createRedisStore({ client: client(), keyPrefix, connectTimeoutMs: 10_000 }),
      worker: { cluster: nodes.startupNodes, keyPrefix },
      async close() {
        for (const c of clients) c.disconnect()
        await nodes.stop()
      },
    }
  },
  PostgreSQL: async () => {
    const pools = []
    const pool = () => {
      const p = new pg.Pool({ ...POSTGRES, max: 4, connectionTimeoutMillis: 2000 })
      p.on('error', () => {})
      pools.push(p)
      return p
    }
    const schema = `carrier_auth_bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    await migrate(pool(), { schema })
    return {
      store: () => createPostgresStore({ pool: pool(), schema }),
      worker: { postgres: { schema, port: POSTGRES.port, database: POSTGRES.database }, keyPrefix: 'unused:' },
      async close() {
        await pools[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await Promise.all(pools.map((p) => p.end()))
      },
    }
  },
}

/** Opens a backend, or says why it cannot run here. */
export async function openBackend(name) {
  try {
    return await backends[name]()
  } catch (error) {
    return { missing: `n/a (${error.message.split('\n')[0]})` }
  }
}

/** A store that counts every call made to it (for store operations per cached getToken()). */
export function counting(store) {
  const counts = { calls: 0 }
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver)
      if (typeof value !== 'function') return value
      return (...args) => {
        counts.calls++
        return value.apply(target, args)
      }
    },
  })
  return { store: proxy, counts }
}
