import { randomUUID } from 'node:crypto'
import { type ClusterNodes, startClusterNodes } from '@carrier-auth/testing-redis/cluster-nodes'
import { createRedisStore } from '@carrier-auth/redis'
import type { Cluster } from 'ioredis'
import { closedPort, type FleetStore, load, missing } from './fleet-store-support.js'

/**
 * A real 3-master Redis Cluster of the matrix's own: `redis-server --cluster-enabled yes` on free
 * ports, joined by `redis-cli --cluster create`. It starts with the first cell that needs it, serves
 * every carrier's cell (each on its own key prefix), and `release()` stops its PIDs when the matrix ends.
 */
let started: Promise<ClusterNodes> | undefined

/** A second try once: a free port picked for a node may be taken by another process before it binds. */
const startOnce = () => startClusterNodes({ masters: 3 }).catch(() => startClusterNodes({ masters: 3 }))

async function cluster(): Promise<ClusterNodes> {
  started ??= startOnce()
  try {
    return await started
  } catch (error) {
    started = undefined
    throw missing('Redis Cluster (redis-server and redis-cli on PATH)', 'CARRIER_AUTH_REQUIRE_REDIS', error)
  }
}

export const redisCluster: FleetStore = {
  id: 'redis-cluster',
  name: 'Redis Cluster (3 masters)',
  unreachableAs: 'a Redis Cluster none of whose startup nodes answers',
  async open(instances, clock) {
    const { Cluster } = await load<typeof import('ioredis')>('ioredis')
    const { startupNodes } = await cluster()
    // Every key of an entry carries one hash tag, so the prefix may differ from cell to cell freely.
    const keyPrefix = `carrier-auth-conformance:${randomUUID()}:`
    // An instance is a process: each with its own Cluster client (its own connections to every master).
    const clients: Cluster[] = Array.from({ length: instances }, () => {
      const client = new Cluster(startupNodes)
      client.on('error', () => {})
      return client
    })
    return {
      // A loaded machine may take a while to connect the clients; the scenario is not about that.
      stores: clients.map((client) => createRedisStore({ client, keyPrefix, clock, connectTimeoutMs: 10_000 })),
      async close() {
        for (const client of clients) client.disconnect()
      },
    }
  },
  async unreachable() {
    const { Cluster } = await load<typeof import('ioredis')>('ioredis')
    const client = new Cluster([{ host: '127.0.0.1', port: await closedPort() }], { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: null } })
    client.on('error', () => {})
    return { store: createRedisStore({ client, commandTimeoutMs: 100, connectTimeoutMs: 200 }), close: async () => client.disconnect() }
  },
  async release() {
    const running = started
    started = undefined
    await (await running?.catch(() => undefined))?.stop()
  },
}
