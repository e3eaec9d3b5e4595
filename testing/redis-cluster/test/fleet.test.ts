import { type Emulator, startEmulator } from '@carrier-auth/conformance'
import { type RedisCluster, redisMissing, skipOrFail, startRedisCluster } from '@carrier-auth/testing-redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type BurstResult, ClusterWorker, connectAccount, uniquePrefix } from './support.js'

// The cluster is this file's own; the shared Redis check only decides whether redis-server runs here.
const missing = await redisMissing()
if (missing !== undefined) skipOrFail('the Redis Cluster fleet tests', missing)

const HOUR_MS = 3_600_000

describe.skipIf(missing !== undefined)('a fleet of processes on a real 3-master Redis Cluster', () => {
  let cluster: RedisCluster
  const workers: ClusterWorker[] = []
  const emulators: Emulator[] = []
  let offsetMs = 0
  const clock = { now: () => Date.now() + offsetMs }

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()))
    for (const e of emulators.splice(0)) {
      expect(e.responseViolations).toEqual([])
      await e.close()
    }
    offsetMs = 0
  })
  afterAll(async () => {
    await cluster?.stop()
  })

  async function fleet(n: number, config: Omit<Parameters<typeof ClusterWorker.start>[0], 'startupNodes'>) {
    const started = await Promise.all(Array.from({ length: n }, () => ClusterWorker.start({ ...config, startupNodes: cluster.startupNodes })))
    workers.push(...started)
    return started
  }
  async function advanceAll(processes: ClusterWorker[], ms: number) {
    offsetMs += ms
    await Promise.all(processes.map((w) => w.advance(ms)))
  }
  const distinct = (results: BurstResult[]) => new Set(results.flatMap((r) => r.tokens))
  const expectAllSucceeded = (results: BurstResult[], callers: number) => {
    for (const r of results) {
      expect(r.failures).toEqual([])
      expect(r.succeeded).toBe(callers)
    }
  }

  it('should make exactly one token request for 4 processes × 250 callers on a cold cache, and one more after expiry', async () => {
    const endpoint = await startEmulator('posti', { clock, tokenTtlSeconds: 3600 })
    emulators.push(endpoint)
    const processes = await fleet(4, { carrier: 'posti', emulator: endpoint, keyPrefix: uniquePrefix() })
    const cold = await Promise.all(processes.map((w) => w.burst(250)))
    expectAllSucceeded(cold, 250)
    expect(endpoint.stats.tokenRequests).toBe(1)
    expect(distinct(cold).size).toBe(1)
    await advanceAll(processes, HOUR_MS)
    const expired = await Promise.all(processes.map((w) => w.burst(250)))
    expectAllSucceeded(expired, 250)
    expect(endpoint.stats.tokenRequests).toBe(2)
    expect(distinct(expired).size).toBe(1)
  })

  it('should rotate a PostFinance refresh token once per expiry for 4 processes, never sending one twice', async () => {
    const endpoint = await startEmulator('postfinance', { clock })
    emulators.push(endpoint)
    const keyPrefix = uniquePrefix()
    const pair = await connectAccount(endpoint, cluster, keyPrefix, clock)
    const processes = await fleet(4, { carrier: 'postfinance', emulator: endpoint, keyPrefix, account: 'shop-42' })
    for (let round = 1; round <= 3; round++) {
      await advanceAll(processes, 13 * HOUR_MS)
      const results = await Promise.all(processes.map((w) => w.burst(50)))
      expectAllSucceeded(results, 50)
      expect(distinct(results).size).toBe(1)
      expect(distinct(results).has(pair.accessToken)).toBe(false)
      expect(endpoint.stats.refreshTokenUses).toBe(round)
    }
    expect(endpoint.stats.refreshTokenReplays).toBe(0)
  })
})
