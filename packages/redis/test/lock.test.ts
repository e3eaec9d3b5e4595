import { expect, it } from 'vitest'
import { createRedisStore, RedisStoreError } from '../src/index.js'
import { lockChecks } from './support/lock-checks.js'
import { describeWithRedis, useRedis } from './support/redis.js'

const KEY = 'carrier-auth|packly|https%3A%2F%2Fapi.packly.test|client|external|0123456789abcdef0123456789abcdef'

describeWithRedis('createRedisStore: the fleet lock', () => {
  const redis = useRedis()
  /** N instances of a fleet: each its own client and store, one key prefix. */
  const fleet = (n: number, options: { lockPollMs?: number } = {}) => {
    const keyPrefix = redis.prefix()
    return Array.from({ length: n }, () => createRedisStore({ client: redis.client(), keyPrefix, ...options }))
  }

  lockChecks({ key: KEY, fleet: (n) => fleet(n), admin: () => redis.admin, where: '', contenders: 20 })

  it('should let one instance in at a time, the next one as soon as it is released', async () => {
    const [a, b] = fleet(2)
    const order: string[] = []
    const held = await a!.lock(KEY, 10_000)
    order.push('a locked')
    const waiting = b!.lock(KEY, 10_000).then((lock) => {
      order.push('b locked')
      return lock
    })
    // b has tried and found the lock taken before a lets go.
    while (b!.stats.lockWaits === 0) await new Promise((resolve) => setImmediate(resolve))
    order.push('a released')
    await held.release()
    await (await waiting).release()
    expect(order).toEqual(['a locked', 'a released', 'b locked'])
  })

  it('should hold the lock in Redis with the TTL it was asked for and a random owner token', async () => {
    const [a] = fleet(1)
    const lock = await a!.lock(KEY, 7_000)
    const key = a!.redisKeys(KEY).lock
    const pttl = await redis.admin.pttl(key)
    expect(pttl).toBeGreaterThan(6_000)
    expect(pttl).toBeLessThanOrEqual(7_000)
    expect(await redis.admin.get(key)).toMatch(/^[\w-]{24}$/)
    await lock.release()
    expect(await redis.admin.exists(key)).toBe(0)
  })

  it('should release only its own lock, never one another instance took after it expired', async () => {
    const [a] = fleet(1)
    const lock = await a!.lock(KEY, 60_000)
    const key = a!.redisKeys(KEY).lock
    // As if a's lock had expired and another instance had taken it.
    await redis.admin.set(key, 'someone-else', 'PX', 60_000)
    await lock.release()
    expect(await redis.admin.get(key)).toBe('someone-else')
  })

  it('should be released once however many times release is called', async () => {
    const [a, b] = fleet(2)
    const lock = await a!.lock(KEY, 60_000)
    await lock.release()
    const theirs = await b!.lock(KEY, 60_000)
    await lock.release()
    expect(await redis.admin.exists(a!.redisKeys(KEY).lock)).toBe(1)
    await theirs.release()
  })

  it('should not block the fleet past the lock TTL when the holder dies', async () => {
    const [holder, waiter] = fleet(2)
    const ttl = 300
    const started = performance.now()
    await holder!.lock(KEY, ttl) // never released: the process "died"
    const lock = await waiter!.lock(KEY, ttl)
    const waited = performance.now() - started
    expect(waited).toBeGreaterThanOrEqual(ttl - 20)
    expect(waited).toBeLessThan(ttl + 1500) // generous: a loaded CI machine is slow, never early
    await lock.release()
  })

  it('should not poll a taken lock: a waiter tries, tries once more once subscribed, then sleeps until the release', async () => {
    const stores = fleet(6)
    const [holder, ...waiters] = stores
    const lock = await holder!.lock(KEY, 30_000)
    const waiting = waiters.map(async (s) => (await s.lock(KEY, 30_000)).release())
    while (waiters.some((s) => s.stats.lockWaits < 2)) await new Promise((resolve) => setTimeout(resolve, 2))
    // Held 300 ms more: a polling waiter would try every 5–100 ms meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(waiters.map((s) => s.stats.lockWaits)).toEqual([2, 2, 2, 2, 2])
    await lock.release()
    await Promise.all(waiting)
    for (const s of waiters) expect(s.stats.lockWakeups).toBeGreaterThanOrEqual(1)
  })

  it("should stop waiting when the caller's signal aborts", async () => {
    const [a, b] = fleet(2)
    const lock = await a!.lock(KEY, 60_000)
    const controller = new AbortController()
    const waiting = b!.lock(KEY, 60_000, controller.signal)
    controller.abort(new Error('caller gave up'))
    await expect(waiting).rejects.toThrow('caller gave up')
    await lock.release()
  })

  it('should give up with lock_timeout when the lock stays taken longer than any holder may keep it', async () => {
    const [a] = fleet(1)
    // A lock nobody will release and that never expires (not one this package would take).
    await redis.admin.set(a!.redisKeys(KEY).lock, 'stuck')
    const started = performance.now()
    const error = await a!.lock(KEY, 200).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisStoreError)
    expect(error).toMatchObject({ code: 'lock_timeout', operation: 'lock' })
    expect(performance.now() - started).toBeLessThan(200 + 1000 + 200)
  })
})
