import { describe, RedisStoreError } from './errors.js'
import type { Script } from './scripts.js'

/** What the store needs of an ioredis `Redis` or `Cluster` client. */
export interface RedisLike {
  readonly status: string
  call(command: string, args: (string | number)[]): Promise<unknown>
  once(event: 'ready', listener: () => void): unknown
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
}

class NoScript extends Error {}

/**
 * Sends commands with a hard time limit. It never lets a command sit in ioredis's offline queue:
 * while the client is not connected it waits for `ready` (within the same limit) before sending,
 * and after a timeout or a failed wait it fails fast for `suspendMs`, so a store call on a dead or
 * hung Redis costs one timeout per `suspendMs` at most, not one per command.
 */
export class Commands {
  readonly stats: RedisStoreStats = { commands: 0, timeouts: 0, failedFast: 0, localHits: 0, localMisses: 0, lockWaits: 0 }
  #suspectUntil = 0
  #ready: Promise<void> | undefined

  constructor(
    private readonly client: RedisLike,
    readonly timeoutMs: number,
    private readonly suspendMs: number,
  ) {}

  /** Runs a Lua script by SHA, loading it on NOSCRIPT, all within one command timeout. */
  async script(operation: string, script: Script, keys: string[], args: (string | number)[], onLate?: (reply: unknown) => void): Promise<unknown> {
    const deadline = performance.now() + this.timeoutMs
    try {
      return await this.#send(operation, 'evalsha', [script.sha, keys.length, ...keys, ...args], deadline, onLate)
    } catch (error) {
      if (!(error instanceof NoScript)) throw error
      return await this.#send(operation, 'eval', [script.body, keys.length, ...keys, ...args], deadline, onLate)
    }
  }

  async command(operation: string, command: string, args: (string | number)[]): Promise<unknown> {
    return this.#send(operation, command, args, performance.now() + this.timeoutMs)
  }

  #suspect() {
    this.#suspectUntil = performance.now() + this.suspendMs
  }

  #healthy() {
    this.#suspectUntil = 0
  }

  async #whenReady(operation: string, deadline: number): Promise<void> {
    const status = this.client.status
    if (status === 'end') {
      this.stats.failedFast++
      throw new RedisStoreError('The Redis client was closed (quit or disconnect was called); the store is unusable until a connected client is passed.', 'closed', operation)
    }
    if (performance.now() < this.#suspectUntil) {
      this.stats.failedFast++
      throw new RedisStoreError(`Redis did not answer recently (client status "${status}"); not waiting on it again for up to ${this.suspendMs} ms.`, 'unavailable', operation)
    }
    // "wait" is a lazyConnect client that has not connected yet: a command makes it connect.
    if (status === 'ready' || status === 'wait') return
    this.#ready ??= new Promise<void>((resolve) => {
      this.client.once('ready', () => {
        this.#ready = undefined
        resolve()
      })
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    const connected = await Promise.race([
      this.#ready.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - performance.now())))),
    ])
    clearTimeout(timer)
    if (!connected) {
      this.#suspect()
      throw new RedisStoreError(`Redis is not connected (client status "${this.client.status}") and did not connect within ${this.timeoutMs} ms.`, 'unavailable', operation)
    }
  }

  async #send(operation: string, command: string, args: (string | number)[], deadline: number, onLate?: (reply: unknown) => void): Promise<unknown> {
    await this.#whenReady(operation, deadline)
    const remaining = deadline - performance.now()
    if (remaining <= 0) {
      this.stats.timeouts++
      throw new RedisStoreError(`Redis did not answer ${operation} within ${this.timeoutMs} ms.`, 'timeout', operation)
    }
    this.stats.commands++
    const pending = Promise.resolve().then(() => this.client.call(command, args))
    return new Promise<unknown>((resolve, reject) => {
      let settled = false
      const timer = setTimeout(() => {
        settled = true
        this.stats.timeouts++
        this.#suspect()
        reject(new RedisStoreError(`Redis did not answer ${operation} within ${this.timeoutMs} ms.`, 'timeout', operation))
        // The command may still run later (ioredis resends after a reconnect): let the caller undo it.
        pending.then(
          (reply) => {
            this.#healthy()
            onLate?.(reply)
          },
          () => {},
        )
      }, remaining)
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
          const message = describe(error)
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
