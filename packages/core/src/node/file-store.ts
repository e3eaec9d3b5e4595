import { randomUUID } from 'node:crypto'
import type { StoredToken } from '../access-token.js'
import { refuseWhereRequestsHaveContexts } from '../background.js'
import type { Clock } from '../clock.js'
import { systemClock } from '../clock.js'
import type { StoreEntry, StoreLock, TokenStore } from '../store.js'
import { readText, writeAtomically } from './atomic-file.js'
import { FileMutex, holderDead, HOST } from './file-mutex.js'
import { type FileShape, lastVersion, type Lease, parseFile, prune } from './file-shape.js'
import { pause, wakeWaiters } from './wake.js'

/** Longest pause of a lock waiter between two looks at the file (it starts at 2 ms and doubles). */
const MAX_POLL_MS = 50

interface Change<T> {
  result: T
  /** Whether the file must be written. */
  changed: boolean
}

/**
 * A TokenStore in one JSON file, shared safely by every process on one machine (a CLI run in
 * parallel, a few workers): it survives restarts, so a rotated refresh token is not lost with the
 * process.
 *
 * - Every write replaces the file atomically (temporary file with mode 0600, fsync, rename, fsync
 *   of the folder), so a reader sees the old file or the new one, and a written refresh token
 *   survives a crash.
 * - Every read-modify-write (`set`, `compareAndSet`, `delete`, `setMarker`, and the lock's own
 *   steps) runs under a file-wide mutex held by one process at a time (`<file>.lock`, see
 *   `FileMutex`), and reads the file afresh inside it: compare-and-set sees every process's writes.
 * - `lock(key, ttlMs)` is a lease kept in the file: exclusive across processes, renewed by
 *   `extend`, and taken over when it runs out or at once when its holder's process has exited.
 *
 * Node only: import it from `@carrier-auth/core/file-store`. Not for a network file system
 * shared by several machines (use the Redis store there).
 */
export class FileStore implements TokenStore {
  readonly #path: string
  readonly #clock: Clock
  readonly #mutex: FileMutex
  #queue: Promise<unknown> = Promise.resolve()

  constructor(options: { path: string; clock?: Clock }) {
    refuseWhereRequestsHaveContexts('FileStore', 'its node:fs is an in-memory file system that no other request or isolate sees, so tokens written there are lost.')
    this.#path = options.path
    this.#clock = options.clock ?? systemClock
    this.#mutex = new FileMutex(`${options.path}.lock`)
  }

  async #read(): Promise<FileShape> {
    return parseFile(await readText(this.#path))
  }

  /**
   * One read-modify-write: one at a time in this process (so its calls do not compete for the
   * file lock with each other), under the file lock across processes, on the file as it is now.
   * `durable` writes are fsynced (tokens, markers); lease changes need not survive a reboot.
   */
  #mutate<T>(step: (data: FileShape, now: number) => Change<T>, durable = true): Promise<T> {
    const run = () =>
      this.#mutex.run(async () => {
        const data = await this.#read()
        const now = this.#clock.now()
        const { result, changed } = step(data, now)
        if (changed) {
          prune(data, now)
          await writeAtomically(this.#path, `${JSON.stringify(data, null, 2)}\n`, durable)
        }
        return result
      })
    const next = this.#queue.then(run, run)
    this.#queue = next.catch(() => {})
    return next
  }

  #live<T extends { expiresAt: number }>(slot: T | undefined, now = this.#clock.now()): T | undefined {
    return slot && slot.expiresAt > now ? slot : undefined
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    const slot = this.#live((await this.#read()).tokens[key])
    return slot ? { token: slot.token, version: slot.version } : undefined
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<number> {
    return this.#mutate((data, now) => {
      const version = lastVersion(data, key) + 1
      data.tokens[key] = { token, version, expiresAt: now + ttlMs }
      return { result: version, changed: true }
    })
  }

  compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number): Promise<number | undefined> {
    return this.#mutate<number | undefined>((data, now) => {
      const current = this.#live(data.tokens[key], now)?.version ?? 0
      if (current !== expectedVersion) return { result: undefined, changed: false }
      const version = lastVersion(data, key) + 1
      data.tokens[key] = { token, version, expiresAt: now + ttlMs }
      return { result: version, changed: true }
    })
  }

  delete(key: string, onlyIfAccessToken?: string): Promise<void> {
    return this.#mutate((data) => {
      const slot = data.tokens[key]
      if (!slot || (onlyIfAccessToken !== undefined && slot.token.accessToken !== onlyIfAccessToken)) return { result: undefined, changed: false }
      ;(data.versions ??= {})[key] = slot.version
      delete data.tokens[key]
      return { result: undefined, changed: true }
    })
  }

  async getMarker(key: string): Promise<number | undefined> {
    return this.#live((await this.#read()).markers[key])?.value
  }

  setMarker(key: string, value: number, ttlMs: number): Promise<void> {
    return this.#mutate((data, now) => {
      data.markers[key] = { value, expiresAt: now + ttlMs }
      return { result: undefined, changed: true }
    })
  }

  /** The lease that holds `key` now, if any: not run out, and its holder's process still alive. */
  #holder(data: FileShape, key: string, now: number): Lease | undefined {
    const lease = this.#live(data.leases?.[key], now)
    return lease && !holderDead(lease) ? lease : undefined
  }

  /**
   * An exclusive lease on `key` across every process using the file. A waiter looks at the file
   * (without the file lock while the lease is taken), pausing 2 ms, 4 ms … up to 50 ms and never
   * past the holder's lease; a release in this process wakes it at once. It waits until it gets
   * the lease or `signal` aborts.
   */
  async lock(key: string, ttlMs: number, signal?: AbortSignal): Promise<StoreLock> {
    const mine: Lease = { pid: process.pid, host: HOST, owner: randomUUID(), expiresAt: 0 }
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw signal.reason
      let holder = this.#holder(await this.#read(), key, this.#clock.now())
      if (!holder) {
        holder = await this.#mutate((data, now) => {
          const current = this.#holder(data, key, now)
          if (current) return { result: current, changed: false }
          ;(data.leases ??= {})[key] = { ...mine, expiresAt: now + ttlMs }
          return { result: undefined, changed: true }
        }, false)
        if (!holder) {
          const lock = this.#lease(key, mine.owner)
          if (signal?.aborted) {
            await lock.release()
            throw signal.reason
          }
          return lock
        }
      }
      const remaining = Math.max(1, holder.expiresAt - this.#clock.now())
      await pause(this.#path, Math.min(remaining, 2 ** Math.min(attempt + 1, 6), MAX_POLL_MS), signal)
    }
  }

  #lease(key: string, owner: string): StoreLock {
    let released = false
    const ours = (data: FileShape, now: number) => {
      const lease = this.#live(data.leases?.[key], now)
      return lease?.owner === owner ? lease : undefined
    }
    return {
      release: async () => {
        if (released) return
        released = true
        await this.#mutate((data, now) => {
          if (!ours(data, now)) return { result: undefined, changed: false }
          delete data.leases![key]
          return { result: undefined, changed: true }
        }, false)
        wakeWaiters(this.#path)
      },
      extend: async (ms: number) => {
        if (released) return false
        return this.#mutate((data, now) => {
          const lease = ours(data, now)
          if (!lease) return { result: false, changed: false }
          lease.expiresAt = now + ms
          return { result: true, changed: true }
        }, false)
      },
    }
  }
}
