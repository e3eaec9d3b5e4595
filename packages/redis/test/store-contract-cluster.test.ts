import { randomUUID } from 'node:crypto'
import { defineStoreContract } from '@carrier-auth/core/testing'
import { closedPort, type RedisCluster, startRedisCluster } from '@carrier-auth/testing-redis'
import { Cluster } from 'ioredis'
import { afterAll, test } from 'vitest'
import { recordStoreColumn } from '../../../testing/stores/src/matrix-column.js'
import { serverStoreSubject } from '../../../testing/stores/src/server-subject.js'
import { createRedisStore } from '../src/index.js'
import { describeWithRedis } from './support/redis.js'

// The store contract on a real 3-master Redis Cluster of this file's own, each handle with its own
// Cluster client (as a fleet's processes). The cluster starts with the first check that opens it.
let started: Promise<RedisCluster> | undefined
const cluster = () => (started ??= startRedisCluster({ masters: 3 }))
afterAll(async () => {
  await (await started)?.stop()
}, 30_000)

const redisCluster = serverStoreSubject({
  name: 'Redis Cluster',
  async open(handles) {
    const c = await cluster()
    const keyPrefix = `carrier-auth-contract:${randomUUID()}:`
    const clients = Array.from({ length: handles }, () => c.client())
    return {
      // A loaded machine may take a while to connect ten cluster clients; the contract is not about that.
      stores: clients.map((client) => createRedisStore({ client, keyPrefix, connectTimeoutMs: 10_000 })),
      async close() {
        for (const client of clients) client.disconnect()
      },
    }
  },
  async unreachable() {
    const client = new Cluster([{ host: '127.0.0.1', port: await closedPort() }], {
      clusterRetryStrategy: () => 100,
      redisOptions: { maxRetriesPerRequest: null },
      lazyConnect: false,
    })
    client.on('error', () => {})
    return { store: createRedisStore({ client, commandTimeoutMs: 200, connectTimeoutMs: 200 }), close: async () => client.disconnect() }
  },
})

defineStoreContract(redisCluster, { describe: describeWithRedis, test, afterAll }, { onColumn: recordStoreColumn })
