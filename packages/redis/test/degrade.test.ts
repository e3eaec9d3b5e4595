import { randomBytes } from 'node:crypto'
import type { CarrierAuthEvent } from '@carrier-auth/core'
import { afterEach, expect, it } from 'vitest'
import { createRedisStore, RedisStoreError } from '../src/index.js'
import { closedPort, describeWithRedis, eventually, REDIS_HOST, silentServer, startRedisServer, useRedis } from './support/redis.js'
import { startTokenServer, testAuth } from '@carrier-auth/testing-token-server'

const KEY = 'carrier-auth|dhl-ecommerce|https%3A%2F%2Fapi.dhlecs.test|client||0123456789abcdef0123456789abcdef'
const token = () => ({ accessToken: `access-${randomBytes(8).toString('hex')}`, expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() })

/** Runs `call` and says how long it took to settle, and with what. */
async function timed(call: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown; ms: number }> {
  const started = performance.now()
  const outcome = await call().then(
    (value): { value?: unknown; error?: unknown } => ({ value }),
    (error: unknown) => ({ error }),
  )
  return { ...outcome, ms: performance.now() - started }
}

// Degrading needs no Redis at all, but these tests sit with the others and share their helpers.
describeWithRedis('createRedisStore: a slow or unreachable Redis makes calls fail fast', () => {
  const redis = useRedis()
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })

  it('should throw unavailable within commandTimeoutMs when nothing listens, then fail at once', async () => {
    const client = redis.client({ port: await closedPort(), retryStrategy: () => 50 })
    const store = createRedisStore({ client, commandTimeoutMs: 150 })
    const first = await timed(() => store.get(KEY))
    expect(first.error).toBeInstanceOf(RedisStoreError)
    expect(first.error).toMatchObject({ code: 'unavailable', operation: 'get' })
    expect(first.ms).toBeLessThan(150 + 1500)
    const fastBefore = store.stats.failedFast
    const second = await timed(() => store.set(KEY, token(), 60_000))
    expect(second.error).toMatchObject({ code: 'unavailable', operation: 'set' })
    // At once: without waiting for Redis (counted), not by a wall-clock bound a loaded machine breaks.
    expect(store.stats.failedFast).toBe(fastBefore + 1)
    expect(store.stats.commands).toBe(0)
  })

  it("should not let ioredis's offline queue hold a call, even with unlimited retries per request", async () => {
    const client = redis.client({ port: await closedPort(), maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: () => 20 })
    const store = createRedisStore({ client, commandTimeoutMs: 100 })
    const calls = await Promise.all([store.get(KEY), store.getMarker('m'), store.lock(KEY, 5_000), store.delete(KEY)].map((p) => timed(() => p)))
    for (const call of calls) {
      expect(call.error).toBeInstanceOf(RedisStoreError)
      expect(call.ms).toBeLessThan(100 + 1500)
    }
    expect(store.stats.commands).toBe(0)
  })

  it('should throw unavailable within connectTimeoutMs when a server accepts the connection but never gets ready', async () => {
    const hung = await silentServer()
    closers.push(hung.close)
    const client = redis.client({ port: hung.port, maxRetriesPerRequest: null })
    const store = createRedisStore({ client, connectTimeoutMs: 120 })
    const first = await timed(() => store.get(KEY))
    expect(first.error).toMatchObject({ code: 'unavailable', operation: 'get' })
    expect(first.ms).toBeGreaterThanOrEqual(100)
    expect(first.ms).toBeLessThan(120 + 1500)
  })

  it('should throw a timeout within commandTimeoutMs when a connected Redis stops answering, then fail at once', async () => {
    const server = await startRedisServer()
    closers.push(server.stop)
    const client = redis.client({ port: server.port, maxRetriesPerRequest: null })
    const store = createRedisStore({ client, keyPrefix: 'carrier-auth-test:paused:', commandTimeoutMs: 120 })
    expect(await store.get(KEY)).toBeUndefined()
    process.kill(server.pid, 'SIGSTOP')
    const first = await timed(() => store.set(KEY, token(), 60_000))
    expect(first.error).toMatchObject({ code: 'timeout', operation: 'set' })
    expect(first.ms).toBeGreaterThanOrEqual(100)
    expect(first.ms).toBeLessThan(120 + 1500)
    const fastBefore = store.stats.failedFast
    const second = await timed(() => store.getMarker('m'))
    expect(second.error).toMatchObject({ code: 'unavailable', operation: 'getMarker' })
    expect(store.stats.failedFast).toBe(fastBefore + 1)
  })

  it('should release a lock whose try timed out but went through once Redis answered', async () => {
    const server = await startRedisServer()
    closers.push(server.stop)
    const client = redis.client({ port: server.port, maxRetriesPerRequest: null })
    const store = createRedisStore({ client, keyPrefix: 'carrier-auth-test:late-lock:', commandTimeoutMs: 100 })
    const observer = redis.client({ port: server.port })
    await (await store.lock(KEY, 60_000)).release() // connected, lock scripts loaded
    const scriptRuns = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await observer.info('commandstats'))?.[1] ?? 0)
    const before = await scriptRuns()
    process.kill(server.pid, 'SIGSTOP')
    // A timed-out try does not end the wait (the lock's deadline does): the caller gives up instead.
    const controller = new AbortController()
    const waiting = store.lock(KEY, 60_000, controller.signal).catch((e: unknown) => e)
    await eventually(async () => store.stats.timeouts >= 1, 2000)
    controller.abort(new Error('caller gave up'))
    expect(await waiting).toMatchObject({ message: 'caller gave up' })
    process.kill(server.pid, 'SIGCONT')
    // The late SET NX ran when Redis woke up (PX 60 s: only an unlock removes it); the store saw
    // its answer and let the lock go.
    await eventually(async () => (await scriptRuns()) >= before + 2, 2000)
    await eventually(async () => (await observer.exists(store.redisKeys(KEY).lock)) === 0, 2000)
    const other = createRedisStore({ client: observer, keyPrefix: 'carrier-auth-test:late-lock:' })
    await (await other.lock(KEY, 1_000)).release()
  })

  it('should throw closed at once for a client that was quit', async () => {
    const client = redis.client()
    await client.quit()
    await new Promise((resolve) => client.once('end', resolve))
    const store = createRedisStore({ client })
    const call = await timed(() => store.get(KEY))
    expect(call.error).toMatchObject({ code: 'closed' })
    expect(store.stats).toMatchObject({ failedFast: 1, commands: 0 })
  })

  it('should wait for a client that is still connecting instead of failing its first call', async () => {
    const client = redis.client()
    expect(client.status).not.toBe('ready')
    const keyPrefix = redis.prefix()
    const store = createRedisStore({ client, keyPrefix })
    expect(await store.set(KEY, token(), 60_000)).toBe(1)
  })

  it('should work again once Redis is back', async () => {
    const client = redis.client({ port: await closedPort(), lazyConnect: true })
    const store = createRedisStore({ client, commandTimeoutMs: 100 })
    expect(await store.get(KEY).catch((e: unknown) => e)).toBeInstanceOf(RedisStoreError)
    const healthy = createRedisStore({ client: redis.client(), keyPrefix: redis.prefix() })
    expect(await healthy.get(KEY)).toBeUndefined()
  })

  it('should put no token in the error of a failed write', async () => {
    const client = redis.client({ port: await closedPort() })
    const t = token()
    const error = await createRedisStore({ client, commandTimeoutMs: 50 })
      .set(KEY, t, 60_000)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisStoreError)
    const rendered = JSON.stringify(error) + String(error) + (error as Error).stack
    expect(rendered).not.toContain(t.accessToken)
    expect((error as Error).cause).toBeUndefined()
  })

  it('should let getToken succeed on a dead Redis, reporting store_unavailable', async () => {
    const server = await startTokenServer()
    closers.push(server.close)
    const events: CarrierAuthEvent[] = []
    const store = createRedisStore({ client: redis.client({ host: REDIS_HOST, port: await closedPort() }), commandTimeoutMs: 100 })
    const auth = testAuth(server, { store, onEvent: (e) => events.push(e) })
    const tokens = await Promise.all(Array.from({ length: 50 }, () => auth.getToken()))
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(server.stats.tokenRequests).toBe(1)
    expect(events.filter((e) => e.type === 'store_unavailable').length).toBeGreaterThan(0)
    // One command timeout at most: every later store call of this acquisition fails at once.
    expect(store.stats.failedFast).toBeGreaterThanOrEqual(3)
  })
})
