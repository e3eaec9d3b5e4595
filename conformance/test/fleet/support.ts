import { type ChildProcess, fork, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import type { Emulator } from '../../src/emulators/index.js'

export const REDIS_HOST = '127.0.0.1'
export const REDIS_PORT = 6379

/** Why the fleet tests cannot run here (no Redis on 127.0.0.1:6379), or undefined when they can. */
export async function redisMissing(): Promise<string | undefined> {
  const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  let socketError: string | undefined
  client.on('error', (e: Error) => (socketError ??= e.message))
  try {
    await client.connect()
    await client.ping()
    return undefined
  } catch (error) {
    return `no redis-server answers on ${REDIS_HOST}:${REDIS_PORT} (${socketError ?? (error instanceof Error ? error.message : String(error))})`
  } finally {
    client.disconnect()
  }
}

export function quietRedis(port = REDIS_PORT): Redis {
  const client = new Redis({ host: REDIS_HOST, port, retryStrategy: () => 50 })
  client.on('error', () => {})
  return client
}

export function uniquePrefix(): string {
  return `carrier-auth-fleet-test:${randomUUID()}:`
}

export async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    if (keys.length) await admin.del(...keys)
  } while (cursor !== '0')
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A redis-server of the test's own, on a free port, to kill mid-run. */
export async function startRedisServer(): Promise<{ port: number; kill(): Promise<void> }> {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.once('error', (e) => reject(new Error(`cannot start redis-server (is it on PATH?): ${e.message}`)))
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) resolve()
    })
  })
  return {
    port,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

export interface BurstResult {
  /** Distinct access tokens this worker's callers got. */
  tokens: string[]
  succeeded: number
  failures: string[]
  ms: number
}

export interface WorkerEvent {
  type: 'token_requested' | 'store_unavailable' | 'token_acquired'
  source?: string
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
    keyPrefix: string
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
        keyPrefix: config.keyPrefix,
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
