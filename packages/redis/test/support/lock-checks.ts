import { expect, it } from 'vitest'
import type { RedisStore } from '../../src/index.js'

/** What the lock checks read and delete behind the stores' backs: a Redis or a Cluster client. */
interface Admin {
  pttl(key: string): Promise<number>
  del(key: string): Promise<number>
}

/**
 * The fleet-lock checks a single Redis and a Redis Cluster both pass (lock.test.ts, cluster.test.ts):
 * one holder at a time, a waiter woken by the release itself, and a lease renewed by its holder only.
 */
export function lockChecks(setup: { key: string; fleet(n: number): RedisStore[]; admin(): Admin; where: string; contenders: number }): void {
  const { key } = setup

  it(`should give ${setup.contenders} concurrent instances the lock one after another, never two at once`, async () => {
    let inside = 0
    let most = 0
    await Promise.all(
      setup.fleet(setup.contenders).map(async (s) => {
        const lock = await s.lock(key, 10_000)
        most = Math.max(most, ++inside)
        await new Promise((resolve) => setTimeout(resolve, 2))
        inside--
        await lock.release()
      }),
    )
    expect(most).toBe(1)
  })

  it(`should wake a waiter with the release itself (pub/sub${setup.where}), not a timer, when the lease has 60 s left`, async () => {
    const [holder, waiter] = setup.fleet(2)
    const lock = await holder!.lock(key, 60_000)
    const order: string[] = []
    const waiting = waiter!.lock(key, 60_000).then((l) => (order.push('waiter locked'), l))
    while (waiter!.stats.lockWaits < 2) await new Promise((resolve) => setTimeout(resolve, 2))
    order.push('holder releases')
    await lock.release()
    await (await waiting).release()
    expect(order).toEqual(['holder releases', 'waiter locked'])
    expect(waiter!.stats).toMatchObject({ lockWaits: 2, lockWakeups: 1 })
  })

  it('should renew its own lease with extend, and refuse to renew one it lost', async () => {
    const [a, b] = setup.fleet(2)
    const lock = await a!.lock(key, 1_000)
    expect(await lock.extend(60_000)).toBe(true)
    expect(await setup.admin().pttl(a!.redisKeys(key).lock)).toBeGreaterThan(50_000)
    await setup.admin().del(a!.redisKeys(key).lock) // as if it had expired
    const theirs = await b!.lock(key, 60_000)
    expect(await lock.extend(60_000)).toBe(false)
    expect(await theirs.extend(60_000)).toBe(true)
    await theirs.release()
    expect(await theirs.extend(60_000)).toBe(false)
  })
}
