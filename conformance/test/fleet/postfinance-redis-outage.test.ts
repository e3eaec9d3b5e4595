import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createRedisStore } from '@carrier-auth/redis'
import { afterEach, describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'
import { type BurstResult, connectCustomer, FleetWorker, quietRedis, startRedisServer, until, uniquePrefix } from './support.js'

const ACCOUNT = 'shop-42'
const CALLERS = 100
/** Past a PostFinance access token's 12 hours. */
const PAST_EXPIRY_MS = 13 * 3_600_000

// A Redis of the test's own (never the shared 6379): killed with SIGKILL while a refresh is on
// the wire, and started again EMPTY on the same port, as a Redis without persistence comes back.
describe('PostFinance refresh tokens when the fleet Redis dies mid-rotation and comes back empty', () => {
  const workers: FleetWorker[] = []
  const cleanups: (() => Promise<void>)[] = []
  let emulator: Emulator<'postfinance'>
  let offsetMs = 0
  const clock = { now: () => Date.now() + offsetMs }

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()))
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    offsetMs = 0
  })

  async function processes(n: number, redisPort: number, keyPrefix: string) {
    const started = await Promise.all(
      Array.from({ length: n }, () => FleetWorker.start({ carrier: 'postfinance', emulator, redisPort, keyPrefix, account: ACCOUNT, offsetMs, commandTimeoutMs: 200 })),
    )
    workers.push(...started)
    return started
  }
  async function advanceAll(fleet: FleetWorker[], ms: number) {
    offsetMs += ms
    await Promise.all(fleet.map((w) => w.advance(ms)))
  }
  const failures = (results: BurstResult[]) => results.flatMap((r) => r.failures)
  /** Resolves once every process's Redis client has reconnected (bounded). */
  async function storesAnswer(fleet: FleetWorker[]) {
    const deadline = performance.now() + 10_000
    while (!(await Promise.all(fleet.map((w) => w.storeAnswers()))).every(Boolean)) {
      if (performance.now() > deadline) throw new Error('the fleet did not reconnect to Redis within 10 s')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  /** Bursts until every caller succeeds (a client reconnects, the pair is written back), bounded. */
  async function untilAllSucceed(fleet: FleetWorker[]): Promise<BurstResult[]> {
    const deadline = performance.now() + 15_000
    for (;;) {
      const results = await Promise.all(fleet.map((w) => w.burst(CALLERS)))
if (failures(results).length === 0 || performance.now() > deadline) return results
      expect(new Set(failures(results))).toEqual(new Set(['store_unavailable']))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  test('4 processes × 100 callers: 0 replays; during the outage an expired token is store_unavailable, never a refresh; afterwards a fresh process gets a token', async () => {
    let redis = await startRedisServer()
    const port = redis.port
    cleanups.push(() => redis.kill())
    emulator = await startEmulator('postfinance', { clock })
    cleanups.push(() => emulator.close())
    const keyPrefix = uniquePrefix()
    const admin = quietRedis({ port, retryStrategy: () => 50, maxRetriesPerRequest: null })
    cleanups.push(async () => admin.disconnect())
    await connectCustomer(createPostFinanceAuth({ ...emulator.credentials, baseUrl: emulator.url, clock, store: createRedisStore({ client: admin, keyPrefix, clock }) }), ACCOUNT)
    const fleet = await processes(4, port, keyPrefix)

    // A healthy rotation first: one refresh for 400 callers.
    await advanceAll(fleet, PAST_EXPIRY_MS)
    const healthy = await Promise.all(fleet.map((w) => w.burst(CALLERS)))
    expect(failures(healthy)).toEqual([])
    expect(emulator.stats.refreshTokenUses).toBe(1)

    // Mid-burst: one process holds the lock and waits on PostFinance's slow answer; Redis dies.
    await advanceAll(fleet, PAST_EXPIRY_MS)
    emulator.inject({ type: 'slow', delayMs: 1000 })
    const burst = Promise.all(fleet.map((w) => w.burst(CALLERS)))
    await until(() => emulator.stats.tokenRequests === 3, 10_000, 'the lock holder has sent its refresh')
    await redis.kill()
    const killed = await burst
    // The lock holder's callers got the new pair; the others could not take the lock.
    expect(killed.filter((r) => r.succeeded === CALLERS)).toHaveLength(1)
    expect(new Set(failures(killed))).toEqual(new Set(['store_unavailable']))
    expect(emulator.stats.refreshTokenUses).toBe(2)

    // Still down: an expired access token is store_unavailable, and no refresh is sent.
    const down = await Promise.all(fleet.map((w) => w.burst(CALLERS)))
    expect(new Set(failures(down))).toEqual(new Set(['store_unavailable']))
    expect(emulator.stats.refreshTokenUses).toBe(2)

    // Back, EMPTY. The three processes that only read their pair from Redis must not send it: it
    // was rotated during the outage, and that write died with Redis.
    redis = await startRedisServer({ port })
    await storesAnswer(fleet)
    const holder = fleet[killed.findIndex((r) => r.succeeded === CALLERS)]!
    const readers = fleet.filter((w) => w !== holder)
    const lost = await Promise.all(readers.map((w) => w.burst(CALLERS)))
    expect(new Set(failures(lost))).toEqual(new Set(['store_unavailable']))
    expect(emulator.stats.refreshTokenUses).toBe(2)
    expect(emulator.stats.refreshTokenReplays).toBe(0)

    // The tokens expire again: the process that rotated last writes its own pair back before
    // anything else and refreshes with it; everyone reads the new pair.
    await advanceAll(fleet, PAST_EXPIRY_MS)
    const after = await untilAllSucceed(fleet)
    expect(failures(after)).toEqual([])
    expect(new Set(after.flatMap((r) => r.tokens)).size).toBe(1)
    expect(emulator.stats.refreshTokenUses).toBe(3)
    const [fresh] = await processes(1, port, keyPrefix)
    const cold = await fresh!.burst(CALLERS)
    expect(cold.failures).toEqual([])
    expect(cold.tokens).toEqual(after[0]!.tokens)
    // And the chain goes on: one more rotation for everyone.
    await advanceAll([...fleet, fresh!], PAST_EXPIRY_MS)
    const next = await Promise.all([...fleet, fresh!].map((w) => w.burst(CALLERS)))
    expect(failures(next)).toEqual([])
    expect(new Set(next.flatMap((r) => r.tokens)).size).toBe(1)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  }, 90_000)
})
