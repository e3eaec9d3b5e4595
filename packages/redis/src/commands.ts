import { describeDriverError } from '@carrier-auth/core'
import { RedisStoreError } from './errors.js'
import type { Script } from './scripts.js'

type Listener = (...args: any[]) => void

/** What the store needs of an ioredis `Redis` or `Cluster` client. */
export interface RedisLike {
  readonly status: string
  call(command: string, args: (string | number)[]): Promise<unknown>
  once(event: 'ready' | 'close', listener: Listener): unknown
  off(event: 'ready' | 'close', listener: Listener): unknown
}

/** Counters for metrics and tests. */
export interface RedisStoreStats {
  /** Commands sent to Redis. */
  commands: number
  /** Commands that got no answer within `commandTimeoutMs`. */
  timeouts: number
  /** Calls that failed at once because Redis was known to be down or slow. */
  failedFast: number
  /** `get` answered by the in-memory layer. */
  localHits: number
  /** `get` that went to Redis. */
  localMisses: number
  /** Times a `lock` caller found the lock taken and waited. */
  lockWaits: number
  /** Times a lock waiter was woken by a release (pub/sub) rather than by its fallback timer. */
  lockWakeups: number
}

export interface CommandOptions {
  /** The command timed out but its answer came later (ioredis resends after a reconnect). */
  onLate?: (reply: unknown) => void
  /** Send even while Redis is suspect (a lock waiter retrying within its own deadline). */
  evenIfSuspect?: boolean
}

class NoScript extends Error {}

/** A failure that a retry can get past: no answer, no connection, a cluster moving a slot. */
function transient(error: unknown): boolean {
  if (!(error instanceof RedisStoreError)) return false
  if (error.code === 'timeout') return true
  if (error.code === 'unavailable') return !error.message.includes('did not answer recently')
  return error.code === 'command_failed' && /: (CLUSTERDOWN|TRYAGAIN|READONLY|LOADING|MASTERDOWN)/.test(error.message)
}

/** Resolves on the next turn of the event loop, after the I/O that is already waiting. */
const afterPendingIo = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Sends commands with honest time limits.
 *
 * - **The reply is measured, not the event loop**: when a command's timer fires, the store first
 *   lets the I/O that is already waiting be read (one `setImmediate`: timers run before I/O in a
 *   turn of the loop), so a process that stalled for 600 ms does not call a reply that arrived in
 *   microseconds a timeout.
 * - **Connecting has its own bound** (`connectTimeoutMs`): a command's timer starts once the client
 *   is ready. While the client is not connected the store waits for `ready` (failing at once when
 *   the connection attempt closes, e.g. refused) and never lets a command sit in ioredis's offline
 *   queue.
 * - After a timeout or a failed connect it fails fast for `suspendMs`, so a call on a dead or hung
 *   Redis costs one timeout per `suspendMs` at most, not one per command.
 */
export class Commands {
  readonly stats: RedisStoreStats = { commands: 0, timeouts: 0, failedFast: 0, localHits: 0, localMisses: 0, lockWaits: 0, lockWakeups: 0 }
  #suspectUntil = 0
  #connecting: Promise<boolean> | undefined

  constructor(
    private readonly client: RedisLike,
    readonly timeoutMs: number,
    readonly connectTimeoutMs: number,
    private readonly suspendMs: number,
  ) {}

  /** Runs a Lua script by SHA, loading it on NOSCRIPT (a new or failed-over node). */
  async script(operation: string, script: Script, keys: string[], args: (string | number)[], options: CommandOptions = {}): Promise<unknown> {
    try {
      return await this.#send(operation, 'evalsha', [script.sha, keys.length, ...keys, ...args], options)
    } catch (error) {
      if (!(error instanceof NoScript)) throw error
      return await this.#send(operation, 'eval', [script.body, keys.length, ...keys, ...args], options)
    }
  }

  async command(operation: string, command: string, args: (string | number)[], options: CommandOptions = {}): Promise<unknown> {
    return this.#send(operation, command, args, options)
  }

  /**
   * Runs a retry-safe call again after a timeout, a lost connection or a cluster that is failing
   * over (CLUSTERDOWN, TRYAGAIN, READONLY, LOADING), while the client says it is connected, for up
   * to `withinMs`: a rotated refresh token's write and a lock's release must outlive a failover.
   * Even the first try is sent while the client is connected and Redis failed recently.
   */
  async persistently<T>(withinMs: number, send: (options: CommandOptions) => Promise<T>): Promise<T> {
    const until = performance.now() + withinMs
    for (let attempt = 1; ; attempt++) {
      try {
        return await send({ evenIfSuspect: this.client.status === 'ready' })
      } catch (error) {
        const pause = Math.min(200, 25 * attempt)
        if (attempt === 1 && this.client.status !== 'ready') throw error
        if (!transient(error) || this.client.status !== 'ready' || performance.now() + pause > until) throw error
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    }
  }

  /** Whether Redis failed recently (calls fail fast until then). */
  get suspect(): boolean {
    return performance.now() < this.#suspectUntil
  }

  #suspect() {
    this.#suspectUntil = performance.now() + this.suspendMs
  }

  #healthy() {
    this.#suspectUntil = 0
  }

  /** One wait for the client's next `ready` (true) or `close` (false), shared by every caller. */
  #nextConnect(): Promise<boolean> {
    this.#connecting ??= new Promise<boolean>((resolve) => {
      const settle = (ready: boolean) => {
        this.client.off('ready', onReady)
        this.client.off('close', onClose)
        this.#connecting = undefined
        resolve(ready)
      }
      const onReady = () => settle(true)
      const onClose = () => settle(false)
      this.client.once('ready', onReady)
      this.client.once('close', onClose)
    })
    return this.#connecting
  }

  async #whenReady(operation: string, evenIfSuspect: boolean): Promise<void> {
    const status = this.client.status
    if (status === 'end') {
      this.stats.failedFast++
      throw new RedisStoreError('The Redis client was closed (quit or disconnect was called); the store is unusable until a connected client is passed.', 'closed', operation)
    }
    if (!evenIfSuspect && this.suspect) {
      this.stats.failedFast++
      throw new RedisStoreError(`Redis did not answer recently (client status "${status}"); not waiting on it again for up to ${this.suspendMs} ms.`, 'unavailable', operation)
    }
    // "wait" is a lazyConnect client that has not connected yet: a command makes it connect.
    if (status === 'ready' || status === 'wait') return
    // Its last connection attempt failed and ioredis waits to try again (up to seconds): do not wait
    // with it. Only an attempt in progress ("connecting", "connect") is worth waiting for.
    if (status === 'reconnecting' || status === 'close') {
      this.stats.failedFast++
      this.#suspect()
      throw new RedisStoreError(`Redis is not connected (client status "${status}"): its last connection attempt failed.`, 'unavailable', operation)
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const outcome = await Promise.race([
      this.#nextConnect().then((ready) => (ready ? 'ready' : 'closed')),
      new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.connectTimeoutMs))),
    ])
    clearTimeout(timer)
    if (outcome === 'ready') return
    this.#suspect()
    throw new RedisStoreError(
      outcome === 'closed'
        ? `Redis is not connected (client status "${this.client.status}"): the connection attempt failed.`
        : `Redis is not connected (client status "${this.client.status}") and did not connect within ${this.connectTimeoutMs} ms.`,
      'unavailable',
      operation,
    )
  }

  async #send(operation: string, command: string, args: (string | number)[], options: CommandOptions): Promise<unknown> {
    const lazy = this.client.status === 'wait'
    await this.#whenReady(operation, options.evenIfSuspect ?? false)
    this.stats.commands++
    const pending = Promise.resolve().then(() => this.client.call(command, args))
    // A lazyConnect client connects inside this first command: give it the connect bound too.
    const limit = this.timeoutMs + (lazy ? this.connectTimeoutMs : 0)
    return new Promise<unknown>((resolve, reject) => {
      let settled = false
      const timer = setTimeout(async () => {
        await afterPendingIo() // an answer that arrived while this process was busy is read first
        if (settled) return
        settled = true
        this.stats.timeouts++
        this.#suspect()
        reject(new RedisStoreError(`Redis did not answer ${operation} within ${this.timeoutMs} ms.`, 'timeout', operation))
        // The command may still run later (ioredis resends after a reconnect): let the caller undo it.
        pending.then(
          (reply) => {
            this.#healthy()
            options.onLate?.(reply)
          },
          () => {},
        )
      }, limit)
      pending.then(
        (reply) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          this.#healthy()
          resolve(reply)
        },
        (error: unknown) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          const message = describeDriverError(error)
          if (message.startsWith('NOSCRIPT')) return reject(new NoScript(message))
          const replied = error instanceof Error && error.name === 'ReplyError'
          if (!replied) this.#suspect()
          reject(
            new RedisStoreError(
              replied ? `Redis refused ${operation}: ${message}` : `Redis is unreachable (${operation}): ${message}`,
              replied ? 'command_failed' : 'unavailable',
              operation,
            ),
          )
        },
      )
    })
  }
}
