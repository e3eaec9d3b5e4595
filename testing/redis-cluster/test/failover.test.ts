import { type Emulator, startEmulator } from '@carrier-auth/conformance'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createRedisStore } from '@carrier-auth/redis'
import { type RedisCluster, redisMissing, skipOrFail, startRedisCluster } from '@carrier-auth/testing-redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The fleet worker of conformance's fleet tests (a carrier provider on the built packages, in its own process).
import { type BurstResult, connectCustomer, FleetWorker, uniquePrefix } from '../../../conformance/test/fleet/support.js'

const missing = await redisMissing()
if (missing !== undefined) skipOrFail('the Redis Cluster failover test', missing)

const HOUR_MS = 3_600_000
const ROUNDS = 6
const KILL_IN_ROUND = 3

describe.skipIf(missing !== undefined)('a PostFinance fleet on a Redis Cluster whose master fails over mid-burst', () => {
  let cluster: RedisCluster
  let endpoint: Emulator<'postfinance'>
  const workers: FleetWorker[] = []
  let offsetMs = 0
  const clock = { now: () => Date.now() + offsetMs }

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 })
  })
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()))
    await endpoint?.close()
    await cluster?.stop()
  })

  it('should answer every getToken() and never send a refresh token twice when the account’s master is SIGKILLed mid-burst', async () => {
    endpoint = await startEmulator('postfinance', { clock })
    const keyPrefix = uniquePrefix()
    // The application connects a customer once (authorization code); the pair lands in the cluster.
    const connector = createPostFinanceAuth({ ...endpoint.credentials, baseUrl: endpoint.url, clock, store: createRedisStore({ client: cluster.client(), keyPrefix, clock }) })
    await connectCustomer(connector, 'shop-42')
    // The master that holds the account's entry (all its keys share one hash tag, so one slot).
    const admin = cluster.client()
    const [entryKey] = await Promise.all((await admin.nodes('master')).map((n) => n.keys(`${keyPrefix}*:token`))).then((k) => k.flat())
    const victim = await cluster.masterOf(entryKey!)

    workers.push(...(await Promise.all(Array.from({ length: 4 }, () => FleetWorker.start({ carrier: 'postfinance', emulator: endpoint, cluster: cluster.startupNodes, keyPrefix, account: 'shop-42' })))))
    const results: BurstResult[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      offsetMs += 13 * HOUR_MS // every round starts with an expired access token: a rotation
      await Promise.all(workers.map((w) => w.advance(13 * HOUR_MS)))
      // The worst moment: the refresh has reached PostFinance (its token is spent) and its answer,
      // the new pair, is still to be written, to a master that is gone by then.
      if (round === KILL_IN_ROUND) endpoint.inject({ type: 'slow', delayMs: 1500 })
      const requestsBefore = endpoint.stats.tokenRequests
      const bursts = Promise.all(workers.map((w) => w.burst(25)))
      if (round === KILL_IN_ROUND) {
        while (endpoint.stats.tokenRequests === requestsBefore) await new Promise((resolve) => setTimeout(resolve, 1))
        await victim.kill()
      }
      results.push(...(await bursts))
    }
    await cluster.healthy()
    expect(await cluster.masterOf(entryKey!)).not.toBe(victim) // its replica took over

    expect(results.flatMap((r) => r.failures)).toEqual([])
    expect(results.reduce((n, r) => n + r.succeeded, 0)).toBe(ROUNDS * 4 * 25)
    expect(endpoint.stats.refreshTokenReplays).toBe(0)
    expect(endpoint.responseViolations).toEqual([])
    expect(endpoint.stats.refreshTokenUses).toBe(ROUNDS) // one rotation per expiry, the failover round included
  })
})
