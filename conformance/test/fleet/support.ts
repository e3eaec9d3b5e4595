import { type ChildProcess, fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { AuthorizationCodeAuth } from '@carrier-auth/core'
import { REDIS_PORT } from '@carrier-auth/testing-redis'
import type { Emulator } from '../../src/emulators/index.js'

export { deleteKeys, quietClient as quietRedis, redisMissing, skipOrFail, startRedisServer } from '@carrier-auth/testing-redis'

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `carrier-auth-fleet-test:${randomUUID()}:`
}

export interface BurstResult {
  /** Distinct access tokens this worker's callers got. */
  tokens: string[]
  succeeded: number
  failures: string[]
  ms: number
}

export interface WorkerEvent {
  type: 'token_requested' | 'store_unavailable' | 'token_acquired' | 'refresh_token_rejected'
  source?: string
  why?: string
  operation?: string
  code?: string
}

/** One fleet instance in a child process (worker.mjs, on the built packages). */
export class FleetWorker {
  readonly events: WorkerEvent[] = []
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  #nextId = 0
  readonly #pending = new Map<number, (message: any) => void>()

  private constructor(child: ChildProcess) {
    this.#child = child
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
    child.on('message', (message: any) => {
      if (message.type === 'event') this.events.push(message.event)
      else if (message.id !== undefined) {
        this.#pending.get(message.id)?.(message)
        this.#pending.delete(message.id)
      }
    })
  }

  static async start(config: {
    carrier: string
    emulator: Emulator
    redisPort?: number
    /** The store is on this Redis Cluster (its startup nodes) instead of the Redis on `redisPort`. */
    cluster?: { host: string; port: number }[]
    /** The store is PostgreSQL (this schema, migrated) instead of Redis. */
    postgres?: { schema: string; port?: number; database?: string }
    /** The store is a FileStore on this path (every worker on one machine sharing the file). */
    file?: string
    keyPrefix?: string
    commandTimeoutMs?: number
    options?: Record<string, unknown>
    /** Burst through `forAccount(account)` (a connected PostFinance customer) instead of the client. */
    account?: string
    /** Where this process's clock starts, relative to real time (the fleet's clocks move together). */
    offsetMs?: number
  }): Promise<FleetWorker> {
    const env = {
      ...process.env,
      FLEET_WORKER: JSON.stringify({
        carrier: config.carrier,
        url: config.emulator.url,
        credentials: config.emulator.credentials,
        redisPort: config.redisPort ?? REDIS_PORT,
        cluster: config.cluster,
        keyPrefix: config.keyPrefix,
        postgres: config.postgres && { port: 5432, database: 'test', ...config.postgres },
        file: config.file,
        commandTimeoutMs: config.commandTimeoutMs,
        options: config.options ?? {},
        account: config.account,
        offsetMs: config.offsetMs,
      }),
    }
    const child = fork(new URL('./worker.mjs', import.meta.url), { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const worker = new FleetWorker(child)
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`fleet worker exited before it was ready (${code}); are the packages built?`)))
      child.on('message', (message: any) => message.type === 'ready' && resolve())
    })
    return worker
  }

  #ask<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, resolve)
      this.#exited.then(() => reject(new Error('fleet worker died')))
      this.#child.send({ ...message, id })
    })
  }

  /** `callers` concurrent getToken() in this worker. */
  burst(callers: number): Promise<BurstResult> {
    return this.#ask({ type: 'burst', callers })
  }

  /** Moves this worker's clock forward. */
  advance(ms: number): Promise<void> {
    return this.#ask({ type: 'advance', ms })
  }

  /** Whether this process's store answers now (its client has reconnected). */
  async storeAnswers(): Promise<boolean> {
    return (await this.#ask<{ ok: boolean }>({ type: 'probe' })).ok
  }

  /** The process dies at once (SIGKILL): no release, no cleanup. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL')
    await this.#exited
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.send({ type: 'exit' })
      await this.#exited
    }
  }
}

/** Resolves once `check` holds, looking again on every turn of the event loop (bounded). */
export async function until(check: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = performance.now() + withinMs
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** Connects a PostFinance customer the way an application does: authorize URL, the emulator's redirect, code exchange. */
export async function connectCustomer(auth: AuthorizationCodeAuth, account: string, scope?: string) {
  const redirectUri = 'http://127.0.0.1:8765/callback'
  const asked = auth.authorizeUrl({ redirectUri, ...(scope ? { scope } : {}) })
  const back = new URL((await fetch(asked.url, { redirect: 'manual' })).headers.get('location')!)
  return auth.exchangeCode({ code: back.searchParams.get('code')!, state: back.searchParams.get('state')!, expectedState: asked.state, redirectUri, account, scope: asked.scope })
}
