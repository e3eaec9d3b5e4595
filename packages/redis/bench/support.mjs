// What the @carrier-auth/redis benchmarks share: clients on the machine's Redis (127.0.0.1:6379,
// REDIS_PORT to change), one key prefix per run, and the clean-up of both.
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'

export const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379)

/**
 * Clients made by `client()` (each its own connection, quiet about errors: the stores report them),
 * a `keyPrefix` of this run's own, and `close()`: deletes the prefix's keys, disconnects the clients.
 * Exits with a one-line reason when no redis-server answers.
 */
export async function benchRedis(bench) {
  const clients = []
  const client = () => {
    const c = new Redis({ host: '127.0.0.1', port: REDIS_PORT, retryStrategy: () => null, maxRetriesPerRequest: 1 })
    c.on('error', () => {})
    clients.push(c)
    return c
  }
  try {
    await client().ping()
  } catch (error) {
    console.error(`${bench} needs a redis-server on 127.0.0.1:${REDIS_PORT}: ${error.message}`)
    process.exit(1)
  }
  const keyPrefix = `carrier-auth-bench:${randomUUID()}:`
  return {
    client,
    keyPrefix,
    /** Waits until every client made so far is connected. */
    ready: () => Promise.all(clients.map((c) => (c.status === 'ready' ? undefined : new Promise((resolve) => c.once('ready', resolve))))),
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
}
