import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis, type RedisOptions } from 'ioredis'

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

/** Deletes every key under a test's prefix. */
export async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    if (keys.length) await admin.del(...keys)
  } while (cursor !== '0')
}

/** A port on 127.0.0.1 that nothing listens on (for a Redis that is down, or a server to start). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * A redis-server of the test's own, on a free port, to kill mid-run; `port` starts it again on
 * the port of one that was killed (empty: nothing is saved).
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<{ port: number; kill(): Promise<void> }> {
  const port = options.port ?? (await closedPort())
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.once('error', (e) => reject(new Error(`cannot start redis-server (is it on PATH?): ${e.message}`)))
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) resolve()
    })
  })
  return {
    port,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

export { type ClusterNode, type RedisCluster, startRedisCluster } from './cluster.js'
