import { randomUUID } from 'node:crypto'
import type { TokenStore } from '@carrier-auth/core'
import { defineStoreContract, type StoreSubject } from '@carrier-auth/core/testing'
import type { Redis } from 'ioredis'
import { afterAll, describe, inject, test } from 'vitest'
import { recordStoreColumn } from '../../../testing/stores/src/matrix-column.js'
import { createRedisStore } from '../src/index.js'
import { closedPort, quietClient } from './support/redis.js'
import { deleteKeys } from '@carrier-auth/testing-redis'

// The store contract on the single Redis, each handle with its own client (as a fleet's processes).
const clients = new WeakMap<TokenStore, Redis>()
const prefixes = new WeakMap<TokenStore, string>()

const redis: StoreSubject = {
  name: 'Redis',
  async open({ handles }) {
    const keyPrefix = `carrier-auth-contract:${randomUUID()}:`
    return Array.from({ length: handles }, () => {
      const client = quietClient()
      // Redis measures TTLs; the in-memory layer reads the same real clock so it never outlives them.
      const store = createRedisStore({ client, keyPrefix })
      clients.set(store, client)
      prefixes.set(store, keyPrefix)
      return store
    })
  },
  async close(handles) {
    const admin = clients.get(handles[0]!)!
    await deleteKeys(admin, prefixes.get(handles[0]!)!)
    for (const store of handles) clients.get(store)?.disconnect()
  },
  time: 'real',
  lock: true,
  lease: true,
  abortableLock: true,
  outage: {
    async open() {
      const client = quietClient({ port: await closedPort(), retryStrategy: () => 100, maxRetriesPerRequest: null })
      const store = createRedisStore({ client, commandTimeoutMs: 200 })
      clients.set(store, client)
      return store
    },
    async close(store) {
      clients.get(store)?.disconnect()
    },
    boundMs: 2000,
  },
}

// Without a Redis here the global setup said so once (and fails in CI); the suite is then skipped.
const describeWithRedis = describe.skipIf(!inject('redisAvailable'))
defineStoreContract(redis, { describe: describeWithRedis, test, afterAll }, { onColumn: recordStoreColumn })
