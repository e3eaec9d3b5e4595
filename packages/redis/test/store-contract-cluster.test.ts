import { randomUUID } from 'node:crypto'
import type { TokenStore } from '@carrier-auth/core'
import { defineStoreContract, type StoreSubject } from '@carrier-auth/core/testing'
import { closedPort, type RedisCluster, startRedisCluster } from '@carrier-auth/testing-redis'
import { Cluster } from 'ioredis'
import { afterAll, test } from 'vitest'
import { recordStoreColumn } from '../../../testing/stores/src/matrix-column.js'
import { createRedisStore } from '../src/index.js'
import { describeWithRedis } from './support/redis.js'

// The store contract on a real 3-master Redis Cluster of this file's own, each handle with its own
// Cluster client (as a fleet's processes). The cluster starts with the first check that opens it.
let started: Promise<RedisCluster> | undefined
const cluster = () => (started ??= startRedisCluster({ masters: 3 }))
const clients = new WeakMap<TokenStore, Cluster>()
afterAll(async () => {
  await (await started)?.stop()
}, 30_000)

const redisCluster: StoreSubject = {
  name: 'Redis Cluster',
  async open({ handles }) {
    const c = await cluster()
    const keyPrefix = `carrier-auth-contract:${randomUUID()}:`
    return Array.from({ length: handles }, () => {
      const client = c.client()
      // A loaded machine may take a while to connect ten cluster clients; the contract is not about that.
      const store = createRedisStore({ client, keyPrefix, connectTimeoutMs: 10_000 })
      clients.set(store, client)
      return store
    })
  },
  async close(handles) {
    for (const store of handles) clients.get(store)?.disconnect()
  },
  time: 'real',
  lock: true,
  lease: true,
  abortableLock: true,
  outage: {
    async open() {
      const client = new Cluster([{ host: '127.0.0.1', port: await closedPort() }], {
        clusterRetryStrategy: () => 100,
        redisOptions: { maxRetriesPerRequest: null },
        lazyConnect: false,
      })
      client.on('error', () => {})
      const store = createRedisStore({ client, commandTimeoutMs: 200, connectTimeoutMs: 200 })
      clients.set(store, client)
      return store
    },
    async close(store) {
      clients.get(store)?.disconnect()
    },
    boundMs: 2000,
  },
}

defineStoreContract(redisCluster, { describe: describeWithRedis, test, afterAll }, { onColumn: recordStoreColumn })
