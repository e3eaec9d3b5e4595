import { describe, expect, test } from 'vitest'
import { heldLease } from '../src/lease.js'
import { MemoryStore, type StoreLock, type TokenStore } from '../src/index.js'

/**
 * A store whose lock reports each extend and release as it happens, and answers extends as the
 * test says. Waiting is on those reports, never on a fixed time.
 */
function watchedStore(answers: { extend?: () => Promise<boolean>; release?: () => Promise<void> } = {}) {
  const seen = { locks: [] as [string, number][], extends: [] as number[], releases: 0 }
  let onExtend: (() => void) | undefined
  const store = Object.assign(new MemoryStore(), {
    lock: async (key: string, ttlMs: number): Promise<StoreLock> => {
      seen.locks.push([key, ttlMs])
      return {
        extend: (ms: number) => {
          seen.extends.push(ms)
          onExtend?.()
          return answers.extend ? answers.extend() : Promise.resolve(true)
        },
        release: () => {
          seen.releases++
          return answers.release ? answers.release() : Promise.resolve()
        },
      }
    },
  }) as TokenStore
  const nextExtend = () => new Promise<void>((resolve) => (onExtend = resolve))
  return { store, seen, nextExtend }
}

/** One turn of the event loop: every promise callback already due has run. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve))

const noErrors = (operation: string, error: unknown) => {
  throw new Error(`unexpected ${operation} error: ${String(error)}`)
}

describe('a held lease', () => {
  test('takes the lock for the lease and renews it to the same lease while held', async () => {
    const w = watchedStore()
    const lease = await heldLease(w.store, 'k', 150, noErrors)
    await w.nextExtend()
    await w.nextExtend()
    await lease.release()
    expect(w.seen.locks).toEqual([['k', 150]])
    expect(w.seen.extends.slice(0, 2)).toEqual([150, 150])
    expect(lease.held).toBe(true)
  })

  test('is no longer held once a renewal finds it lost', async () => {
    const w = watchedStore({ extend: async () => false })
    const lease = await heldLease(w.store, 'k', 150, noErrors)
    await w.nextExtend()
    await settled()
    expect(lease.held).toBe(false)
    await lease.release()
  })

  test('a renewal that answers "lost" after the release does not make a released lease lost', async () => {
    let answer!: (ok: boolean) => void
    const w = watchedStore({ extend: () => new Promise<boolean>((resolve) => (answer = resolve)) })
    const lease = await heldLease(w.store, 'k', 150, noErrors)
    await w.nextExtend()
    await lease.release()
    answer(false)
    await settled()
    expect(lease.held).toBe(true)
  })

  test('a renewal that fails is reported as an extend error, and the lease is kept', async () => {
    const boom = new Error('store down')
    const w = watchedStore({ extend: async () => Promise.reject(boom) })
    let reported!: (r: [string, unknown]) => void
    const report = new Promise<[string, unknown]>((resolve) => (reported = resolve))
    const lease = await heldLease(w.store, 'k', 150, (op, e) => reported([op, e]))
    expect(await report).toEqual(['extend', boom])
    expect(lease.held).toBe(true)
    await lease.release()
  })

  test('release releases once, however often it is called, and a failing release is reported, not thrown', async () => {
    const errors: [string, unknown][] = []
    const boom = new Error('store down')
    const w = watchedStore({ release: () => Promise.reject(boom) })
    const lease = await heldLease(w.store, 'k', 150, (op, e) => errors.push([op, e]))
    await lease.release()
    await lease.release()
    expect(w.seen.releases).toBe(1)
    expect(errors).toEqual([['release', boom]])
  })

  test('renewals stop after the longest a live holder works', async () => {
    const short = watchedStore()
    const long = watchedStore()
    const stopped = await heldLease(short.store, 'a', 150, noErrors, 0)
    const renewed = await heldLease(long.store, 'b', 150, noErrors)
    // Both renew on the same period; the one without a limit has renewed twice by now.
    await long.nextExtend()
    await long.nextExtend()
    expect(short.seen.extends).toEqual([])
    await stopped.release()
    await renewed.release()
  })
})
