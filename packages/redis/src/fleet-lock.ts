import { randomBytes } from 'node:crypto'
import { type StoreLock, timerSleep } from '@carrier-auth/core'
import type { Commands } from './commands.js'
import { RedisStoreError } from './errors.js'
import type { ReleaseWaker, Subscription } from './release-waker.js'
import { EXTEND, LOCK, UNLOCK } from './scripts.js'
import { ttlOf } from './ttl.js'

/** First pause of a waiter that polls (no pub/sub) or retries after a failed try; it doubles. */
const FIRST_POLL_MS = 5
/** A woken waiter also looks again this often, in case a release message was lost. */
const SUBSCRIBED_FALLBACK_MS = 1000
/** A waiter gives up this long after the lock's lease could have ended (it would have expired by then). */
export const LOCK_GRACE_MS = 1000

export interface LockContext {
  commands: Commands
  waker: ReleaseWaker
  lockPollMs: number
  /** How long a release is retried through a failover. */
  failoverRetryMs: number
  /** Whether the client says it is connected (a failed try is then worth another one). */
  connected(): boolean
  /** Called once the lock is ours: the holder before may have written, read Redis afresh. */
  onAcquired(): void
}

/** The channel the unlock script publishes on when a lock is released. */
export const releaseChannel = (lockKey: string) => `${lockKey}:released`

/**
 * The fleet lock: SET NX PX with a random owner token, released by a compare-and-delete that
 * publishes on the lock's channel, renewed by a compare-and-pexpire. A waiter subscribes to the
 * channel and sleeps until a release wakes it, or until the holder's lease runs out (a dead holder
 * publishes nothing), whichever is first; without pub/sub it polls (5 ms doubling to
 * `lockPollMs`, never past the holder's lease).
 *
 * The lock's own deadline decides when to give up, not one try: a try that times out or fails
 * while the client is connected is tried again (a slow reply, a cluster failing over). The
 * deadline is the lease's end plus a grace, pushed back while the holder keeps renewing its lease.
 */
export async function takeLock(context: LockContext, lockKey: string, ttl: number, signal?: AbortSignal): Promise<StoreLock> {
  const { commands } = context
  const channel = releaseChannel(lockKey)
  let giveUpAt = performance.now() + ttl + LOCK_GRACE_MS
  const unlock = (owner: string) => commands.script('unlock', UNLOCK, [lockKey], [owner, channel], { evenIfSuspect: true })
  // A release that does not land keeps the fleet waiting for the whole lease: retry it (it is a
  // compare-and-delete, so a retry is safe).
  const release = (owner: string) => commands.persistently(context.failoverRetryMs, () => unlock(owner))
  let subscription: Subscription | undefined
  let subscribed = false
  let lastError: unknown
  let failures = 0
  try {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason
      subscription?.reset()
      let reply: unknown
      // A new owner token per try: a try that timed out and went through later is undone by its
      // own token, which can never release the lock a later try of this call took.
      const owner = randomBytes(18).toString('base64url')
      try {
        reply = await commands.script('lock', LOCK, [lockKey], [owner, ttl], {
          // While the client is connected, a recent failure (a slow reply, a failover) does not
          // stop the wait; a client that is not connected fails fast as usual.
          evenIfSuspect: context.connected(),
          // This try timed out but went through later: the lock is ours and nobody will use it.
          onLate: (late) => {
            if (Array.isArray(late) && Number(late[0]) === 1) unlock(owner).catch(() => {})
          },
        })
        failures = 0
      } catch (error) {
        const retryable = error instanceof RedisStoreError && (error.code === 'timeout' || error.code === 'unavailable')
        if (!retryable || !context.connected()) throw error
        lastError = error
        failures++
      }
      if (Array.isArray(reply) && Number(reply[0]) === 1) {
        context.onAcquired()
        return lease(commands, lockKey, owner, () => release(owner))
      }
      const pttl = Array.isArray(reply) ? Number(reply[1]) : undefined
      let delay: number
      if (pttl === undefined) {
        delay = Math.min(context.lockPollMs, FIRST_POLL_MS * 2 ** failures)
      } else {
        commands.stats.lockWaits++
        lastError = undefined
        if (pttl >= 0) giveUpAt = Math.max(giveUpAt, performance.now() + pttl + LOCK_GRACE_MS)
        if (!subscribed) {
          subscribed = true
          subscription = await context.waker.join(channel)
          // The holder may have released before we listened: look once more now.
          if (subscription) continue
        }
        if (pttl === -2) delay = 0 // released between our SET and PTTL: try again now
        else if (subscription) delay = pttl >= 0 ? Math.min(pttl + 1, SUBSCRIBED_FALLBACK_MS) : SUBSCRIBED_FALLBACK_MS
        else {
          const ceiling = Math.min(context.lockPollMs, FIRST_POLL_MS * 2 ** attempt)
          delay = ceiling / 2 + (Math.random() * ceiling) / 2
          if (pttl >= 0) delay = Math.min(delay, pttl + 1)
        }
      }
      if (performance.now() + delay > giveUpAt) {
        throw lastError ?? new RedisStoreError(`The fleet lock stayed taken for longer than its ${ttl} ms lifetime; going on without it.`, 'lock_timeout', 'lock')
      }
      if (subscription) {
        if ((await subscription.next(delay, signal)) === 'woken') commands.stats.lockWakeups++
      } else await timerSleep(delay, signal)
    }
  } finally {
    subscription?.leave()
  }
}

function lease(commands: Commands, lockKey: string, owner: string, unlock: () => Promise<unknown>): StoreLock {
  let released = false
  return {
    release: async () => {
      if (released) return
      released = true
      await unlock()
    },
    extend: async (ms: number) => {
      if (released) return false
      const renewed = await commands.script('extend', EXTEND, [lockKey], [owner, ttlOf(ms)], { evenIfSuspect: true })
      return Number(renewed) === 1
    },
  }
}
