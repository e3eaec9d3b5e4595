import type { StoreLock } from '../store.js'
import { check, expectThat, REAL_TIME_BOUND_MS, within } from './check.js'

const LONG_MS = 30_000
const TAKERS = 6
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
/** A taker that must get the lock, within the bound (it would hang a broken store otherwise). */
const bounded = () => AbortSignal.timeout(REAL_TIME_BOUND_MS)

/** The fleet lock: exclusion, release, extend, abort, and the lease of a holder that died. */
export const lockChecks = [
  check(
    'lock.exclusion',
    `${TAKERS} takers on two handles never hold one lock at the same time`,
    async ({ stores, key }) => {
      let holding = 0
      let most = 0
      let taken = 0
      await Promise.all(
        Array.from({ length: TAKERS }, async (_, i) => {
          const lock = await stores[i % stores.length]!.lock!(key('l'), LONG_MS, bounded())
          holding++
          taken++
          most = Math.max(most, holding)
          await pause(5) // a holder's work: gives an overlapping taker time to show itself
          holding--
          await lock.release()
        }),
      )
      expectThat(taken === TAKERS, `every taker should get the lock in turn, ${taken} did`)
      expectThat(most === 1, `${most} takers held the lock at once`)
    },
    { needs: ['lock'], handles: 2 },
  ),

  check('lock.keys-independent', 'a held lock does not block the lock of another key', async ({ stores: [a, b], key }) => {
    const held = await a!.lock!(key('one'), LONG_MS)
    const other = await within(b!.lock!(key('two'), LONG_MS, bounded()), REAL_TIME_BOUND_MS)
    expectThat(other.settled && other.error === undefined, 'the lock of another key should be free')
    await (other.value as StoreLock).release()
    await held.release()
  }, { needs: ['lock'], handles: 2 }),

  check('lock.extend-while-held', 'extend is true while the lock is held, false after release', async ({ stores: [store], key }) => {
    const lock = await store!.lock!(key('l'), LONG_MS)
    expectThat((await lock.extend(LONG_MS)) === true, 'extend of a held lock should be true')
    await lock.release()
    expectThat((await lock.extend(LONG_MS)) === false, 'extend after release should be false')
  }, { needs: ['lock'] }),

  check(
    'lock.release-only-own',
    'a second release of a lock never frees the next holder',
    async ({ stores: [a, b], key }) => {
      const first = await a!.lock!(key('l'), LONG_MS)
      await first.release()
      const second = await b!.lock!(key('l'), LONG_MS, bounded())
      await first.release()
      const third = await within(a!.lock!(key('l'), LONG_MS, AbortSignal.timeout(300)), REAL_TIME_BOUND_MS)
      expectThat(third.settled && third.error !== undefined, 'a third taker should not get the lock while the second holds it')
      await second.release()
    },
    { needs: ['lock', 'abortableLock'], handles: 2 },
  ),

  check(
    'lock.abort-waiting',
    'a waiting taker stops when its signal aborts, and leaves nothing behind',
    async ({ stores: [a, b], key }) => {
      const holder = await a!.lock!(key('l'), LONG_MS)
      const controller = new AbortController()
      const reason = new Error('the caller gave up')
      const waiting = within(b!.lock!(key('l'), LONG_MS, controller.signal), REAL_TIME_BOUND_MS)
      setTimeout(() => controller.abort(reason), 20)
      const outcome = await waiting
      expectThat(outcome.settled, `the aborted taker was still waiting ${REAL_TIME_BOUND_MS} ms later`)
      expectThat(outcome.error === reason, 'the aborted taker should reject with the signal reason')
      await holder.release()
      const next = await within(b!.lock!(key('l'), LONG_MS, bounded()), REAL_TIME_BOUND_MS)
      expectThat(next.settled && next.error === undefined, 'after the holder released, the lock should be free (the aborted taker must not hold it)')
      await (next.value as StoreLock).release()
    },
    { needs: ['lock', 'abortableLock'], handles: 2 },
  ),

  check(
    'lock.dead-holder',
    'a lease that is not extended is taken over after its TTL, not before',
    async ({ stores: [a, b], key }) => {
      await a!.lock!(key('l'), 400) // the holder "dies": it never extends or releases
      const started = Date.now()
      const next = await within(b!.lock!(key('l'), LONG_MS, bounded()), REAL_TIME_BOUND_MS)
      const waited = Date.now() - started
      expectThat(next.settled && next.error === undefined, 'the dead holder\'s lease should be taken over')
      // A loaded machine is late, never early; 200 ms leaves room for the holder's reply latency.
      expectThat(waited >= 200, `the lease was taken over after ${waited} ms, before its 400 ms TTL`)
      await (next.value as StoreLock).release()
    },
    { needs: ['lock', 'lease', 'abortableLock'], handles: 2 },
  ),

  check(
    'lock.extend-keeps',
    'an extended lease is kept past its first TTL',
    async ({ stores: [a, b], key }) => {
      const holder = await a!.lock!(key('l'), 1500)
      expectThat((await holder.extend(LONG_MS)) === true, 'extend of a held lease should be true')
      const taker = await within(b!.lock!(key('l'), LONG_MS, AbortSignal.timeout(3000)), REAL_TIME_BOUND_MS)
      expectThat(taker.settled && taker.error !== undefined, 'another taker got an extended lease 3 s into it (first TTL 1.5 s)')
      await holder.release()
    },
    { needs: ['lock', 'lease', 'abortableLock'], handles: 2 },
  ),

  check(
    'lock.extend-after-loss',
    'extend of a lease lost to another holder is false, and leaves the new holder in place',
    async ({ stores: [a, b], key }) => {
      const lost = await a!.lock!(key('l'), 300)
      const next = await b!.lock!(key('l'), LONG_MS, bounded())
      expectThat((await lost.extend(LONG_MS)) === false, 'extend of a lost lease should be false')
      await lost.release()
      const third = await within(a!.lock!(key('l'), LONG_MS, AbortSignal.timeout(300)), REAL_TIME_BOUND_MS)
      expectThat(third.settled && third.error !== undefined, 'the new holder should still hold the lock after the old one extended and released')
      await next.release()
    },
    { needs: ['lock', 'lease', 'abortableLock'], handles: 2 },
  ),
]
