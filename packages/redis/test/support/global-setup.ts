import { Redis } from 'ioredis'
import type { TestProject } from 'vitest/node'
import { REDIS_HOST, REDIS_PORT } from './constants.js'

declare module 'vitest' {
  export interface ProvidedContext {
    redisAvailable: boolean
  }
}

/**
 * The tests need a real redis-server on 127.0.0.1:6379. Without one they are skipped with ONE
 * loud line, unless CARRIER_AUTH_REQUIRE_REDIS=1 (CI), which turns the skip into a failure.
 */
export default async function setup(project: TestProject) {
  const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  let reason: string | undefined
  let socketError: string | undefined
  client.on('error', (e: Error) => (socketError ??= e.message))
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    reason = socketError ?? (error instanceof Error ? error.message : String(error))
  } finally {
    client.disconnect()
  }
  if (reason !== undefined) {
    const where = `no redis-server answers on ${REDIS_HOST}:${REDIS_PORT} (${reason})`
    if (process.env.CARRIER_AUTH_REQUIRE_REDIS === '1') throw new Error(`CARRIER_AUTH_REQUIRE_REDIS=1 but ${where}.`)
    console.warn(`\n!!! SKIPPING every @carrier-auth/redis test: ${where}. Start one (redis-server --port 6379), or set CARRIER_AUTH_REQUIRE_REDIS=1 to fail instead. !!!\n`)
  }
  project.provide('redisAvailable', reason === undefined)
}
