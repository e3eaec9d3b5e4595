import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createRedisStore } from '@carrier-auth/redis'
import type { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'
import { type BurstResult, deleteKeys, FleetWorker, quietRedis, redisMissing, skipOrFail, startRedisServer, uniquePrefix, until } from './support.js'

// A fleet needs a real Redis. Without one: ONE loud line and a skip, or a failure in CI.
const missing = await redisMissing()
if (missing !== undefined) skipOrFail('the fleet tests', missing)

const HOUR_S = 3600

describe.skipIf(missing !== undefined)('a fleet of processes sharing one Redis', () => {
  let admin: Redis | undefined
  const workers: FleetWorker[] = []
  const emulators: Emulator[] = []
  const cleanups: (() => Promise<void>)[] = []
  let offsetMs = 0
  /** The emulator's clock; the workers' clocks move with it (advanceAll). */
  const clock = { now: () => Date.now() + offsetMs }

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()))
    for (const e of emulators.splice(0)) {
      expect(e.responseViolations).toEqual([])
      await e.close()
    }
    for (const cleanup of cleanups.splice(0)) await cleanup()
    offsetMs = 0
  })
  afterAll(() => admin?.disconnect())

  async function emulator(options: { tokenTtlSeconds?: number } = {}) {
    const e = await startEmulator('posti', { clock, ...options })
    emulators.push(e)
    return e
  }
  function keyPrefix() {
    admin ??= quietRedis()
    const prefix = uniquePrefix()
    cleanups.push(() => deleteKeys(admin!, prefix))
    return prefix
  }
  async function fleet(n: number, config: Omit<Parameters<typeof FleetWorker.start>[0], 'carrier'>) {
    const started = await Promise.all(Array.from({ length: n }, () => FleetWorker.start({ carrier: 'posti', ...config })))
    workers.push(...started)
    return started
  }
  async function advanceAll(fleet: FleetWorker[], ms: number) {
    offsetMs += ms
    await Promise.all(fleet.map((w) => w.advance(ms)))
  }
  const distinct = (results: BurstResult[]) => new Set(results.flatMap((r) => r.tokens))
  const expectAllSucceeded = (results: BurstResult[], callers: number) => {
    for (const r of results) {
      expect(r.failures).toEqual([])
      expect(r.succeeded).toBe(callers)
    }
  }

  it('should make exactly one token request for 4 processes × 250 concurrent callers on a cold cache, and one more after expiry', async () => {
    const endpoint = await emulator({ tokenTtlSeconds: HOUR_S })
    const processes = await fleet(4, { emulator: endpoint, keyPrefix: keyPrefix() })

    const cold = await Promise.all(processes.map((w) => w.burst(250)))
    expectAllSucceeded(cold, 250)
    expect(endpoint.stats.tokenRequests).toBe(1)
    expect(distinct(cold).size).toBe(1)

    await advanceAll(processes, HOUR_S * 1000)
    const expired = await Promise.all(processes.map((w) => w.burst(250)))
    expectAllSucceeded(expired, 250)
    expect(endpoint.stats.tokenRequests).toBe(2)
    expect(distinct(expired).size).toBe(1)
    expect(distinct(expired)).not.toEqual(distinct(cold))
  }, 30_000)

  it('should answer every getToken() when Redis is killed mid-run', async () => {
    const redis = await startRedisServer()
    cleanups.push(redis.kill)
    const endpoint = await emulator({ tokenTtlSeconds: HOUR_S })
    const processes = await fleet(4, { emulator: endpoint, keyPrefix: keyPrefix(), redisPort: redis.port, commandTimeoutMs: 200 })
    const round = () => Promise.all(processes.map((w) => w.burst(50)))

    // Two rounds on a healthy Redis: one request each for the whole fleet.
    expectAllSucceeded(await round(), 50)
    expect(endpoint.stats.tokenRequests).toBe(1)
    await advanceAll(processes, HOUR_S * 1000)
    expectAllSucceeded(await round(), 50)
    expect(endpoint.stats.tokenRequests).toBe(2)
    await advanceAll(processes, HOUR_S * 1000)

    // Mid-run: one process holds the lock and waits on a slow answer, the others wait on the lock.
    endpoint.inject({ type: 'slow', delayMs: 300 })
    const during = round()
    await until(() => endpoint.stats.tokenRequests === 3, 5_000, 'the lock holder has asked for a token')
    await redis.kill()
    const killed = await during
    expectAllSucceeded(killed, 50)
    // Without Redis, each process falls back to its own single flight: one request each at most.
    expect(endpoint.stats.tokenRequests).toBeLessThanOrEqual(2 + processes.length)

    // And later, with Redis still gone.
    const before = endpoint.stats.tokenRequests
    await advanceAll(processes, HOUR_S * 1000)
    const after = await round()
    expectAllSucceeded(after, 50)
    expect(endpoint.stats.tokenRequests - before).toBeLessThanOrEqual(processes.length)
    for (const w of processes) expect(w.events.some((e) => e.type === 'store_unavailable')).toBe(true)
  }, 30_000)

  it('should not block the fleet past one lock lease when the lock holder dies mid-request', async () => {
    const endpoint = await emulator()
    const prefix = keyPrefix()
    // The provider holds the lock as a 5 s lease it renews while it works: a holder that dies
    // stops renewing, and the others go on within one lease, however long its request was.
    const options = { timeoutMs: 30_000, retry: { deadlineMs: 30_000, maxAttempts: 1 } }
    const [holder] = await fleet(1, { emulator: endpoint, keyPrefix: prefix, options })
    const others = await fleet(3, { emulator: endpoint, keyPrefix: prefix, options })

    endpoint.inject({ type: 'slow', delayMs: 60_000 })
    void holder!.burst(10).catch(() => {})
    await until(() => endpoint.stats.tokenRequests === 1, 5_000, 'the holder has taken the lock and asked for a token')
    const [lockKey] = await admin!.keys(`${prefix}*:lock`)
    expect(lockKey).toBeDefined()
    const lockLeftMs = await admin!.pttl(lockKey!)
    expect(lockLeftMs).toBeGreaterThan(0)
    expect(lockLeftMs).toBeLessThanOrEqual(5000)
    await holder!.kill()
    const killedAt = performance.now()

    const results = await Promise.all(others.map((w) => w.burst(100)))
    const waited = performance.now() - killedAt
    expectAllSucceeded(results, 100)
    expect(distinct(results).size).toBe(1)
    // The others respected the dead holder's lock (no stampede) and went on when it expired.
    expect(endpoint.stats.tokenRequests).toBe(2)
    expect(waited).toBeGreaterThanOrEqual(lockLeftMs - 100)
    expect(waited).toBeLessThan(lockLeftMs + 2000) // generous: a loaded CI machine is slow, never early
  }, 30_000)

  it('should rotate a PostFinance refresh token once for the whole fleet, never sending one twice', async () => {
    const endpoint = await startEmulator('postfinance', { clock })
    emulators.push(endpoint)
    const prefix = keyPrefix()
    // The application connects a customer once; the pair lands in Redis.
    const connector = createPostFinanceAuth({ ...endpoint.credentials, baseUrl: endpoint.url, clock, store: createRedisStore({ client: admin!, keyPrefix: prefix, clock }) })
    const redirectUri = 'http://127.0.0.1:8765/callback'
    const { url, state } = connector.authorizeUrl({ redirectUri })
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!)
    const pair = await connector.exchangeCode({ code: back.searchParams.get('code')!, state: back.searchParams.get('state')!, expectedState: state, redirectUri, account: 'shop-42' })

    const processes = await Promise.all(
      Array.from({ length: 4 }, () => FleetWorker.start({ carrier: 'postfinance', emulator: endpoint, keyPrefix: prefix, account: 'shop-42' })),
    )
    workers.push(...processes)
    for (let round = 1; round <= 2; round++) {
      await advanceAll(processes, 13 * HOUR_S * 1000)
      const results = await Promise.all(processes.map((w) => w.burst(50)))
      expectAllSucceeded(results, 50)
      expect(distinct(results).size).toBe(1)
      expect(distinct(results).has(pair.accessToken)).toBe(false)
      expect(endpoint.stats.refreshTokenUses).toBe(round)
    }
    expect(endpoint.stats.refreshTokenReplays).toBe(0)
  }, 30_000)
})
