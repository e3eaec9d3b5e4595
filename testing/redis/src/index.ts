import { Redis, type RedisOptions } from 'ioredis'
import { closedPort, spawnRedisServer } from './redis-server.js'

/** The Redis every suite uses: the machine's, which `.ci/run` makes sure is running. */
export const REDIS_HOST = '127.0.0.1'
export const REDIS_PORT = 6379

/** Why no Redis can be used here (nothing answers on 127.0.0.1:6379), or undefined when one can. */
export async function redisMissing(): Promise<string | undefined> {
  const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  let socketError: string | undefined
  client.on('error', (e: Error) => (socketError ??= e.message))
  try {
    await client.connect()
    await client.ping()
    return undefined
  } catch (error) {
    return `no redis-server answers on ${REDIS_HOST}:${REDIS_PORT} (${socketError ?? (error instanceof Error ? error.message : String(error))})`
  } finally {
    client.disconnect()
  }
}

/**
 * The one loud line a suite prints when it skips for lack of Redis; with
 * CARRIER_AUTH_REQUIRE_REDIS=1 (CI) the skip is a failure instead.
 */
export function skipOrFail(suite: string, missing: string): void {
  if (process.env.CARRIER_AUTH_REQUIRE_REDIS === '1') throw new Error(`CARRIER_AUTH_REQUIRE_REDIS=1 but ${missing}.`)
  console.warn(`\n!!! SKIPPING ${suite}: ${missing}. Start one (redis-server --port 6379), or set CARRIER_AUTH_REQUIRE_REDIS=1 to fail instead. !!!\n`)
}

/** A client that stays quiet about connection errors (the store reports them itself). */
export function quietClient(options: RedisOptions = {}): Redis {
  const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, ...options })
  client.on('error', () => {})
  return client
}

/**
 * A redis-server of the test's own, on a free port, to kill mid-run; `port` starts it again on
 * the port of one that was killed (empty: nothing is saved).
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<{ port: number; kill(): Promise<void> }> {
  const { port, kill } = await spawnRedisServer(options.port ?? (await closedPort()))
  return { port, kill }
}

export { deleteKeys } from './delete-keys.js'
export { closedPort, freshPort, type RedisServerProcess, spawnRedisServer } from './redis-server.js'
export { type ClusterNodes, startClusterNodes } from './cluster-nodes.js'
export { type ClusterNode, type RedisCluster, startRedisCluster } from './cluster.js'
