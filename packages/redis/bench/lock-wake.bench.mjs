// How soon a fleet-lock waiter gets the lock after the holder releases it: woken by the release
// (pub/sub, the default) vs polling (a client that cannot open a subscriber connection), measured
// from the holder's release() call to the waiter's lock() resolving, two stores and two clients in
// this process. Needs the built package and a redis-server on 127.0.0.1:6379 (REDIS_PORT to change).
// Prints one JSON line last, for tools.
import { createRedisStore } from '@carrier-auth/redis'
import { benchRedis } from './support.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50)
const redis = await benchRedis('bench:redis lock-wake')
const { client, keyPrefix } = redis
/** The same client without `duplicate`: the store cannot subscribe and falls back to polling. */
const withoutPubSub = (c) => new Proxy(c, { get: (target, name) => (name === 'duplicate' ? undefined : typeof target[name] === 'function' ? target[name].bind(target) : target[name]) })

const sortNum = (xs) => [...xs].sort((a, b) => a - b)
const pct = (xs, p) => sortNum(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))]
const round1 = (n) => Math.round(n * 100) / 100

async function handoffs(mode) {
  const holder = createRedisStore({ client: client(), keyPrefix })
  const waiterClient = mode === 'pubsub' ? client() : withoutPubSub(client())
  const waiter = createRedisStore({ client: waiterClient, keyPrefix })
  const latencies = []
  for (let i = 0; i < ROUNDS; i++) {
    const key = `bench|lock-wake|${mode}|${i}`
    const held = await holder.lock(key, 30_000)
    const waits = waiter.stats.lockWaits
    const waiting = waiter.lock(key, 30_000).then((lock) => ({ lock, at: performance.now() }))
    // The waiter has found the lock taken (and, with pub/sub, subscribed and looked once more).
    while (waiter.stats.lockWaits < waits + (mode === 'pubsub' ? 2 : 1)) await new Promise((r) => setTimeout(r, 1))
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 30)) // release at a random point of a poll interval
    const releasedAt = performance.now()
    await held.release()
    const { lock, at } = await waiting
    latencies.push(at - releasedAt)
    await lock.release()
  }
  return { median: round1(pct(latencies, 0.5)), p95: round1(pct(latencies, 0.95)), max: round1(Math.max(...latencies)), wakeups: waiter.stats.lockWakeups, tries: waiter.stats.lockWaits }
}

const pubsub = await handoffs('pubsub')
const polling = await handoffs('polling')
console.log(`@carrier-auth/redis lock hand-off (${ROUNDS} rounds): release() → waiter's lock() resolves`)
console.log(`  woken by the release (pub/sub)   median ${pubsub.median} ms   p95 ${pubsub.p95} ms   max ${pubsub.max} ms   (${pubsub.wakeups} wake-ups, ${pubsub.tries} tries)`)
console.log(`  polling (no subscriber)          median ${polling.median} ms   p95 ${polling.p95} ms   max ${polling.max} ms   (${polling.tries} tries)`)
console.log(JSON.stringify({ bench: 'redis-lock-wake', rounds: ROUNDS, pubsub, polling }))
await redis.close()
