import { randomUUID } from 'node:crypto'
import { defineStoreContract } from '@carrier-auth/core/testing'
import { deleteKeys } from '@carrier-auth/testing-redis'
import { afterAll, describe, inject, test } from 'vitest'
import { recordStoreColumn } from '../../../testing/stores/src/matrix-column.js'
import { serverStoreSubject } from '../../../testing/stores/src/server-subject.js'
import { createRedisStore } from '../src/index.js'
import { closedPort, quietClient } from './support/redis.js'

// The store contract on the single Redis, each handle with its own client (as a fleet's processes).
const redis = serverStoreSubject({
  name: 'Redis',
  async open(handles) {
    const keyPrefix = `carrier-auth-contract:${randomUUID()}:`
    const clients = Array.from({ length: handles }, () => quietClient())
    return {
      // Redis measures TTLs; the in-memory layer reads the same real clock so it never outlives them.
      stores: clients.map((client) => createRedisStore({ client, keyPrefix })),
      async close() {
        await deleteKeys(clients[0]!, keyPrefix)
        for (const client of clients) client.disconnect()
      },
    }
  },
  async unreachable() {
    const client = quietClient({ port: await closedPort(), retryStrategy: () => 100, maxRetriesPerRequest: null })
    return { store: createRedisStore({ client, commandTimeoutMs: 200 }), close: async () => client.disconnect() }
  },
})

// Without a Redis here the global setup said so once (and fails in CI); the suite is then skipped.
const describeWithRedis = describe.skipIf(!inject('redisAvailable'))
defineStoreContract(redis, { describe: describeWithRedis, test, afterAll }, { onColumn: recordStoreColumn })
