import { createRedisStore } from '@carrier-auth/redis'
import type { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { expectHolderDeathCostsOneLease, expectOneRequestPerExpiry, expectOneRotationPerExpiry, expectServedWhenStoreDies, useFleet } from './harness.js'
import { deleteKeys, quietRedis, redisMissing, skipOrFail, startRedisServer, uniquePrefix } from './support.js'

// A fleet needs a real Redis. Without one: ONE loud line and a skip, or a failure in CI.
const missing = await redisMissing()
if (missing !== undefined) skipOrFail('the fleet tests', missing)

describe.skipIf(missing !== undefined)('a fleet of processes sharing one Redis', () => {
  let admin: Redis | undefined
  const fleet = useFleet()
  afterAll(() => admin?.disconnect())

  function keyPrefix() {
    admin ??= quietRedis()
    const prefix = uniquePrefix()
    fleet.cleanup(() => deleteKeys(admin!, prefix))
    return prefix
  }

  it('should make exactly one token request for 4 processes × 250 concurrent callers on a cold cache, and one more after expiry', async () => {
    await expectOneRequestPerExpiry(fleet, { keyPrefix: keyPrefix() })
  }, 30_000)

  it('should answer every getToken() when Redis is killed mid-run', async () => {
    const redis = await startRedisServer()
    fleet.cleanup(redis.kill)
    await expectServedWhenStoreDies(fleet, { store: { keyPrefix: keyPrefix(), redisPort: redis.port }, kill: redis.kill })
  }, 30_000)

  it('should not block the fleet past one lock lease when the lock holder dies mid-request', async () => {
    const prefix = keyPrefix()
    // The provider holds the lock as a 5 s lease it renews while it works: a holder that dies
    // stops renewing, and the others go on within one lease, however long its request was.
    await expectHolderDeathCostsOneLease(fleet, {
      store: { keyPrefix: prefix },
      provider: { timeoutMs: 30_000, retry: { deadlineMs: 30_000, maxAttempts: 1 } },
      async leaseLeftMs() {
        const [lockKey] = await admin!.keys(`${prefix}*:lock`)
        expect(lockKey).toBeDefined()
        return admin!.pttl(lockKey!)
      },
      earlyMs: 100,
      lateMs: 2000,
    })
  }, 30_000)

  it('should rotate a PostFinance refresh token once for the whole fleet, never sending one twice', async () => {
    const prefix = keyPrefix()
    await expectOneRotationPerExpiry(fleet, { connectorStore: createRedisStore({ client: admin!, keyPrefix: prefix, clock: fleet.clock }), store: { keyPrefix: prefix }, rounds: 2 })
  }, 30_000)
})
