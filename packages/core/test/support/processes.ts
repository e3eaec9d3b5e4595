import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const WORKER = new URL('./file-store-worker.mjs', import.meta.url)
const BUILT = fileURLToPath(new URL('../../dist/node/file-store.js', import.meta.url))

/** A real child process with a FileStore on `path`, driven over IPC (see file-store-worker.mjs). */
export class StoreProcess {
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  #next = 0

  private constructor(child: ChildProcess) {
    this.#child = child
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
    this.#exited.then(() => {
      for (const { reject } of this.#pending.values()) reject(new Error('the store process died'))
    })
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return
      const waiting = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error !== undefined) waiting?.reject(new Error(message.error))
      else waiting?.resolve(message.result)
    })
  }

  static async start(path: string): Promise<StoreProcess> {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build core first (pnpm turbo run build --filter=@carrier-auth/core)`)
    const child = fork(WORKER, { env: { ...process.env, FILE_STORE_PATH: path }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`store process exited before it was ready (${code})`)))
      child.on('message', (message: { ready?: boolean }) => message.ready && resolve())
    })
    return new StoreProcess(child)
  }

  static startMany(n: number, path: string): Promise<StoreProcess[]> {
    return Promise.all(Array.from({ length: n }, () => StoreProcess.start(path)))
  }

  get pid(): number {
    return this.#child.pid!
  }

  run<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.#child.send({ id, op, ...args })
    })
  }

  /** Sends a signal to this process only (SIGKILL: it dies holding whatever it holds). */
  async signal(name: NodeJS.Signals): Promise<void> {
    this.#child.kill(name)
    if (name === 'SIGKILL') await this.#exited
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL')
      await this.#exited
    }
  }
}
