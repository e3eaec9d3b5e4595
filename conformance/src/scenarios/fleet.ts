import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { createRedisStore } from '@carrier-auth/redis'
import type { Redis } from 'ioredis'
import { scenario } from './scenario.js'

/** The Redis the fleet scenarios share; `.ci/run` makes sure one runs here. */
const REDIS = { host: '127.0.0.1', port: 6379 }
const INSTANCES = 3
const CALLERS = 100

/**
 * ioredis is the user's (a peer of @carrier-auth/redis), not a dependency of this package: it is
 * loaded at run time, by a name the bundler leaves alone, and its absence makes the cell n/a.
 */
async function loadIoredis(): Promise<typeof import('ioredis')> {
  const name = 'ioredis'
  try {
    return (await import(name)) as typeof import('ioredis')
  } catch {
    throw new Error('n/a: ioredis is not installed (the fleet scenarios need it)')
  }
}

/**
 * A client on the shared Redis. Without one the cell is n/a (an Error whose message starts with
 * `n/a:`), unless CARRIER_AUTH_REQUIRE_REDIS=1 says this machine must have it.
 */
async function connectRedis(): Promise<Redis> {
  const { Redis } = await loadIoredis()
  const client = new Redis({ ...REDIS, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return client
  } catch (error) {
    client.disconnect()
    const why = `no Redis on ${REDIS.host}:${REDIS.port} (${error instanceof Error ? error.message : String(error)})`
    if (process.env.CARRIER_AUTH_REQUIRE_REDIS === '1') throw new Error(`CARRIER_AUTH_REQUIRE_REDIS=1 but ${why}`)
    throw new Error(`n/a: ${why}`)
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

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export const fleet = [
  scenario(
    'fleet.shared-token',
    `${INSTANCES} instances, each with its own Redis store, ${CALLERS} concurrent callers each, cold cache: one request`,
    async (ctx) => {
      const client = await connectRedis()
      const keyPrefix = `carrier-auth-conformance:${randomUUID()}:`
      try {
        const stores = Array.from({ length: INSTANCES }, () => createRedisStore({ client, keyPrefix, clock: ctx.clock }))
        ctx.outputs.push(...stores)
        const instances = stores.map((store) => ctx.auth({ store }))
        const tokens = await Promise.all(instances.flatMap((auth) => Array.from({ length: CALLERS }, () => auth.getToken())))
        assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
        assert.equal(ctx.tokenRequests(), 1)
        const fromStore = ctx.events.filter((e) => e.type === 'token_acquired' && e.source === 'store')
        assert.equal(fromStore.length, INSTANCES - 1, 'every other instance should read the token from Redis')
        assert.deepEqual(
          ctx.events.filter((e) => e.type === 'store_unavailable'),
          [],
        )
      } finally {
        await deleteKeys(client, keyPrefix)
        client.disconnect()
      }
    },
  ),

  scenario(
    'fleet.redis-down',
    'a Redis store whose server is unreachable: getToken still succeeds, and store_unavailable is reported',
    async (ctx) => {
      const { Redis } = await loadIoredis()
      const client = new Redis({ host: '127.0.0.1', port: await closedPort(), retryStrategy: () => 100, maxRetriesPerRequest: null })
      client.on('error', () => {})
      try {
        const store = createRedisStore({ client, commandTimeoutMs: 100 })
        ctx.outputs.push(store)
        const auth = ctx.auth({ store })
        const tokens = await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken()))
        assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
        assert.equal(ctx.tokenRequests(), 1)
        assert.ok(
          ctx.events.some((e) => e.type === 'store_unavailable'),
          'a store_unavailable event should report the unreachable Redis',
        )
      } finally {
        client.disconnect()
      }
    },
  ),
]
