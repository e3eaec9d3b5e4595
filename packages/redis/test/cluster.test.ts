import { randomBytes, randomUUID } from 'node:crypto'
import { type RedisCluster, startRedisCluster } from '@carrier-auth/testing-redis'
import type { Cluster } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from '../src/index.js'
import { lockChecks } from './support/lock-checks.js'
import { describeWithRedis, eventually } from './support/redis.js'

const KEY = 'carrier-auth|postfinance|https%3A%2F%2Fapi.postfinance.test|account|acct-1|0123456789abcdef0123456789abcdef'
const token = (name: string, refreshToken?: string) => ({
  accessToken: `${name}-${randomBytes(6).toString('hex')}`,
  expiresAt: Date.now() + 3_600_000,
  issuedAt: Date.now(),
  ...(refreshToken ? { refreshToken } : {}),
})

// A real 3-master Redis Cluster of this file's own (redis-server --cluster-enabled yes on free ports).
describeWithRedis('createRedisStore on a real Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster
  let admin: Cluster
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
    admin = cluster.client()
  }, 60_000)
  afterAll(async () => {
    await cluster?.stop()
  })
  /** N instances of a fleet, each with its own Cluster client, one key prefix. */
  const fleet = (n: number, options: { memoryTtlMs?: number } = {}): RedisStore[] => {
    const keyPrefix = `carrier-auth-cluster-test:${randomUUID()}:`
    return Array.from({ length: n }, () => createRedisStore({ client: cluster.client(), keyPrefix, connectTimeoutMs: 10_000, ...options }))
  }

  lockChecks({ key: KEY, fleet: (n) => fleet(n), admin: () => admin, where: ' across the cluster', contenders: 10 })

  it('should keep every key of one entry in one slot (a hash tag), whatever the prefix', async () => {
    const [s] = fleet(1)
    const keys = Object.values(s!.redisKeys(KEY))
    const slots = await Promise.all(keys.map((k) => admin.call('cluster', 'keyslot', k)))
    expect(new Set(slots).size).toBe(1)
  })

  it('should spread different entries over the masters', async () => {
    const [s] = fleet(1)
    const masters = new Set<number>()
    for (let i = 0; i < 12; i++) masters.add((await cluster.masterOf(s!.redisKeys(`${KEY}-${i}`).token)).port)
    expect(masters.size).toBeGreaterThan(1)
  })

  it('should write, read back from another instance and delete an entry, with versions', async () => {
    const [a, b] = fleet(2)
    const first = token('a')
    expect(await a!.set(KEY, first, 60_000)).toBe(1)
    expect(await b!.get(KEY)).toEqual({ token: first, version: 1 })
    expect(await b!.set(KEY, token('b'), 60_000)).toBe(2)
    await a!.delete(KEY)
    expect(await a!.get(KEY)).toBeUndefined()
    expect(await admin.exists(a!.redisKeys(KEY).token)).toBe(0)
    expect(await a!.set(KEY, token('c'), 60_000)).toBe(3) // the version counter outlived the entry
  })

  it('should compare-and-set on the cluster: exactly one of 10 instances wins a version', async () => {
    const stores = fleet(10)
    const v1 = await stores[0]!.set(KEY, token('start', 'r1'), 60_000)
    const outcomes = await Promise.all(stores.map((s, i) => s.compareAndSet(KEY, v1, token(`w${i}`, `r2-${i}`), 60_000)))
    expect(outcomes.filter((v) => v !== undefined)).toEqual([2])
    expect(await stores[0]!.compareAndSet(KEY, v1, token('stale', 'r-old'), 60_000)).toBeUndefined()
  })

  it('should delete with onlyIfAccessToken only while the entry still holds that token', async () => {
    const [a] = fleet(1)
    const held = token('held')
    await a!.set(KEY, held, 60_000)
    await a!.delete(KEY, 'another-token')
    expect((await a!.get(KEY))?.token.accessToken).toBe(held.accessToken)
    await a!.delete(KEY, held.accessToken)
    expect(await a!.get(KEY)).toBeUndefined()
  })

  it('should keep markers with their TTL, shared between instances', async () => {
    const [a, b] = fleet(2)
    await a!.setMarker(`${KEY}#attempts`, 3, 60_000)
    expect(await b!.getMarker(`${KEY}#attempts`)).toBe(3)
    expect(await admin.pttl(a!.redisKeys(`${KEY}#attempts`).marker)).toBeGreaterThan(59_000)
    await a!.setMarker(`${KEY}#short`, 1, 30)
    await eventually(async () => (await b!.getMarker(`${KEY}#short`)) === undefined, 2000)
  })

  it('should stop returning an entry once the cluster expires it', async () => {
    const [a, b] = fleet(2, { memoryTtlMs: 1 })
    await a!.set(KEY, token('short'), 40)
    await eventually(async () => (await b!.get(KEY)) === undefined, 2000)
    expect(await admin.exists(a!.redisKeys(KEY).token)).toBe(0)
  })

  it('should hand a dead holder’s lock to the next instance once its lease runs out', async () => {
    const [holder, waiter] = fleet(2)
    await holder!.lock(KEY, 300) // never released: the holder "died"
    const lock = await waiter!.lock(KEY, 300)
    expect(await admin.exists(waiter!.redisKeys(KEY).lock)).toBe(1)
    await lock.release()
  })
})
