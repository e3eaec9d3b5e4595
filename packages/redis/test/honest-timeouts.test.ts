import { randomBytes } from 'node:crypto'
import { createConnection, createServer, type Socket } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { describeWithRedis, eventually, REDIS_HOST, REDIS_PORT, startRedisServer, useRedis } from './support/redis.js'

const KEY = 'carrier-auth|posti|https%3A%2F%2Fgateway.posti.test|client||0123456789abcdef0123456789abcdef'
const token = () => ({ accessToken: `access-${randomBytes(8).toString('hex')}`, expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() })

/** Keeps this process busy without a turn of the event loop (a long GC, a CPU-bound handler). */
function stall(ms: number) {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // busy
  }
}

/** A TCP proxy to the test Redis that opens its way through only `delayMs` after a client connects (a slow connect). */
async function slowConnectProxy(delayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.pause()
    setTimeout(() => {
      const upstream = createConnection(REDIS_PORT, REDIS_HOST, () => {
        client.pipe(upstream).pipe(client)
        client.resume()
      })
      sockets.add(upstream)
      upstream.on('error', () => client.destroy())
    }, delayMs)
    client.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

describeWithRedis('createRedisStore: time limits measure Redis, not this process', () => {
  const redis = useRedis()
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })

  it('should not call a reply that arrived during a 300 ms event-loop stall a timeout (commandTimeoutMs 100)', async () => {
    const keyPrefix = redis.prefix()
    const store = createRedisStore({ client: redis.client(), keyPrefix, commandTimeoutMs: 100 })
    await store.set(KEY, token(), 60_000) // connected, scripts loaded
    const other = createRedisStore({ client: redis.client(), keyPrefix, commandTimeoutMs: 100 })
    await other.getMarker('warm-up')
    const sent = other.stats.commands
    const reading = other.get(KEY)
    // Only microtasks until the command is on the wire, so no turn of the loop can read the answer.
    for (let i = 0; i < 100 && other.stats.commands === sent; i++) await Promise.resolve()
    for (let i = 0; i < 10; i++) await Promise.resolve()
    expect(other.stats.commands).toBe(sent + 1)
    stall(300) // Redis answers in microseconds; the answer waits in the socket until the stall ends
    expect((await reading)?.version).toBe(1)
    expect(other.stats.timeouts).toBe(0)
  })

  it('should give a fresh client its own connect time: a 300 ms connect does not fail a call with commandTimeoutMs 100', async () => {
    const proxy = await slowConnectProxy(300)
    closers.push(proxy.close)
    const store = createRedisStore({ client: redis.client({ port: proxy.port }), keyPrefix: redis.prefix(), commandTimeoutMs: 100 })
    expect(await store.set(KEY, token(), 60_000)).toBe(1)
    expect(store.stats.timeouts).toBe(0)
  })

  it('should retry a compare-and-set through a timeout while connected, and report the write it made', async () => {
    const server = await startRedisServer()
    closers.push(server.stop)
    const client = redis.client({ port: server.port, maxRetriesPerRequest: null })
    const store = createRedisStore({ client, keyPrefix: 'carrier-auth-test:cas-retry:', commandTimeoutMs: 100 })
    const v1 = await store.set(KEY, token(), 60_000)
    process.kill(server.pid, 'SIGSTOP')
    const rotated = token()
    const writing = store.compareAndSet(KEY, v1, rotated, 60_000)
    await eventually(async () => store.stats.timeouts >= 1, 2000)
    process.kill(server.pid, 'SIGCONT')
    // The first try ran once Redis woke up; the retry finds that very token and reports its version.
    expect(await writing).toBe(v1 + 1)
    const reader = createRedisStore({ client: redis.client({ port: server.port }), keyPrefix: 'carrier-auth-test:cas-retry:' })
    expect(await reader.get(KEY)).toEqual({ token: rotated, version: v1 + 1 })
  })

  it('should keep trying a lock through a timed-out try, within the lock deadline, and get it once Redis answers', async () => {
    const server = await startRedisServer()
    closers.push(server.stop)
    const store = createRedisStore({ client: redis.client({ port: server.port, maxRetriesPerRequest: null }), keyPrefix: 'carrier-auth-test:slow-lock:', commandTimeoutMs: 100 })
    await (await store.lock(KEY, 5_000)).release() // connected, scripts loaded
    process.kill(server.pid, 'SIGSTOP')
    const locking = store.lock(KEY, 5_000)
    await eventually(async () => store.stats.timeouts >= 1, 2000)
    process.kill(server.pid, 'SIGCONT')
    const lock = await locking
    expect(await lock.extend(5_000)).toBe(true)
    await lock.release()
  })
})
