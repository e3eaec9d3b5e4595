import { createRedisStore } from '@carrier-auth/redis'
import { type RedisCluster, redisMissing, skipOrFail, startRedisCluster } from '@carrier-auth/testing-redis'
import { afterAll, beforeAll, describe, it } from 'vitest'
// The fleet harness and scenarios of conformance's fleet tests (Redis, PostgreSQL, FileStore), here on a cluster.
import { expectOneRequestPerExpiry, expectOneRotationPerExpiry, useFleet } from '../../../conformance/test/fleet/harness.js'
import { uniquePrefix } from '../../../conformance/test/fleet/support.js'

// The cluster is this file's own; the shared Redis check only decides whether redis-server runs here.
const missing = await redisMissing()
if (missing !== undefined) skipOrFail('the Redis Cluster fleet tests', missing)

describe.skipIf(missing !== undefined)('a fleet of processes on a real 3-master Redis Cluster', () => {
  let cluster: RedisCluster
  const fleet = useFleet()

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(async () => {
    await cluster?.stop()
  })

  it('should make exactly one token request for 4 processes × 250 callers on a cold cache, and one more after expiry', async () => {
    await expectOneRequestPerExpiry(fleet, { cluster: cluster.startupNodes, keyPrefix: uniquePrefix() })
  })

  it('should rotate a PostFinance refresh token once per expiry for 4 processes, never sending one twice', async () => {
    const keyPrefix = uniquePrefix()
    const connectorStore = createRedisStore({ client: cluster.client(), keyPrefix, clock: fleet.clock })
    await expectOneRotationPerExpiry(fleet, { connectorStore, store: { cluster: cluster.startupNodes, keyPrefix }, rounds: 3 })
  })
})
