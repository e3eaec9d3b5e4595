import { type ChildProcess, fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { Emulator } from '@carrier-auth/conformance'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createRedisStore } from '@carrier-auth/redis'
import type { RedisCluster } from '@carrier-auth/testing-redis'

export interface BurstResult {
  /** Distinct access tokens this worker's callers got. */
  tokens: string[]
  succeeded: number
  failures: string[]
}

export interface WorkerEvent {
  type: 'token_requested' | 'store_unavailable'
  operation?: string
  code?: string
}

/** A key prefix no other test uses. */
export const uniquePrefix = () => `carrier-auth-cluster-fleet:${randomUUID()}:`

/** One fleet instance in a child process (worker.mjs, on the built packages), on a Redis Cluster. */
export class ClusterWorker {
  readonly events: WorkerEvent[] = []
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  readonly #pending = new Map<number, (message: any) => void>()
  #next = 0

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
    carrier: 'posti' | 'postfinance'
    emulator: Emulator
    startupNodes: { host: string; port: number }[]
    keyPrefix: string
    account?: string
  }): Promise<ClusterWorker> {
    const env = {
      ...process.env,
      CLUSTER_WORKER: JSON.stringify({ ...config, emulator: undefined, url: config.emulator.url, credentials: config.emulator.credentials }),
    }
    const child = fork(new URL('./worker.mjs', import.meta.url), { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const worker = new ClusterWorker(child)
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`cluster worker exited before it was ready (${code}); are the packages built?`)))
      child.on('message', (message: any) => message.type === 'ready' && resolve())
    })
    return worker
  }

  #ask<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, resolve)
      this.#exited.then(() => reject(new Error('cluster worker died')))
      this.#child.send({ ...message, id })
    })
  }

  burst(callers: number): Promise<BurstResult> {
    return this.#ask({ type: 'burst', callers })
  }

  advance(ms: number): Promise<void> {
    return this.#ask({ type: 'advance', ms })
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.send({ type: 'exit' })
      await this.#exited
    }
  }
}

/** The application connects a customer once (authorization code); the pair lands in the cluster. */
export async function connectAccount(endpoint: Emulator<'postfinance'>, cluster: RedisCluster, keyPrefix: string, clock: { now(): number }) {
  const store = createRedisStore({ client: cluster.client(), keyPrefix, clock })
  const connector = createPostFinanceAuth({ ...endpoint.credentials, baseUrl: endpoint.url, clock, store })
  const redirectUri = 'http://127.0.0.1:8765/callback'
  const { url, state } = connector.authorizeUrl({ redirectUri })
  const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!)
  return connector.exchangeCode({ code: back.searchParams.get('code')!, state: back.searchParams.get('state')!, expectedState: state, redirectUri, account: 'shop-42' })
}
