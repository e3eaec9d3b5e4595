import { randomUUID } from 'node:crypto'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { StoredToken } from '../access-token.js'
import { refuseWhereRequestsHaveContexts } from '../background.js'
import type { Clock } from '../clock.js'
import { systemClock } from '../clock.js'
import type { StoreEntry, StoreLock, TokenStore } from '../store.js'

interface FileShape {
  version: 1
  tokens: Record<string, { token: StoredToken; version: number; expiresAt: number }>
  markers: Record<string, { value: number; expiresAt: number }>
}

const empty = (): FileShape => ({ version: 1, tokens: {}, markers: {} })

/**
 * A TokenStore in one JSON file, for a single machine or a CLI: it survives restarts, so a
 * rotated refresh token is not lost with the process. Every write goes to a temporary file
 * (mode 0600) and is renamed over the old one, so a crash leaves either the old file or the
 * new one, never half of each. Writes within this process are serialised; it is not meant for
 * several processes writing at once (use the Redis store for that).
 *
 * Node only: import it from `@carrier-auth/core/file-store`.
 */
export class FileStore implements TokenStore {
  readonly #path: string
  readonly #clock: Clock
  #queue: Promise<unknown> = Promise.resolve()
  readonly #locks = new Map<string, Promise<void>>()

  constructor(options: { path: string; clock?: Clock }) {
    refuseWhereRequestsHaveContexts('FileStore', 'its node:fs is an in-memory file system that no other request or isolate sees, so tokens written there are lost.')
    this.#path = options.path
    this.#clock = options.clock ?? systemClock
  }

  async #read(): Promise<FileShape> {
    try {
      const parsed = JSON.parse(await readFile(this.#path, 'utf8')) as FileShape
      return parsed && parsed.version === 1 ? parsed : empty()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty()
      throw error
    }
  }

  async #write(data: FileShape): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 })
    const temp = `${this.#path}.${randomUUID()}.tmp`
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 })
    await chmod(temp, 0o600)
    await rename(temp, this.#path)
  }

  /** Runs read-modify-write steps one after another. */
  #serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step)
    this.#queue = next.catch(() => {})
    return next
  }

  #live<T extends { expiresAt: number }>(slot: T | undefined): T | undefined {
    return slot && slot.expiresAt > this.#clock.now() ? slot : undefined
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    const slot = this.#live((await this.#read()).tokens[key])
    return slot ? { token: slot.token, version: slot.version } : undefined
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<number> {
    return this.#serial(async () => {
      const data = await this.#read()
      const version = (data.tokens[key]?.version ?? 0) + 1
      data.tokens[key] = { token, version, expiresAt: this.#clock.now() + ttlMs }
      await this.#write(data)
      return version
    })
  }

  compareAndSet(key: string, expectedVersion: number, token: StoredToken, ttlMs: number): Promise<number | undefined> {
    return this.#serial(async () => {
      const data = await this.#read()
      const current = this.#live(data.tokens[key])?.version ?? 0
      if (current !== expectedVersion) return undefined
      const version = (data.tokens[key]?.version ?? 0) + 1
      data.tokens[key] = { token, version, expiresAt: this.#clock.now() + ttlMs }
      await this.#write(data)
      return version
    })
  }

  delete(key: string, onlyIfAccessToken?: string): Promise<void> {
    return this.#serial(async () => {
      const data = await this.#read()
      const slot = data.tokens[key]
      if (!slot || (onlyIfAccessToken !== undefined && slot.token.accessToken !== onlyIfAccessToken)) return
      delete data.tokens[key]
      await this.#write(data)
    })
  }

  async getMarker(key: string): Promise<number | undefined> {
    return this.#live((await this.#read()).markers[key])?.value
  }

  setMarker(key: string, value: number, ttlMs: number): Promise<void> {
    return this.#serial(async () => {
      const data = await this.#read()
      data.markers[key] = { value, expiresAt: this.#clock.now() + ttlMs }
      await this.#write(data)
    })
  }

  /** In-process lock per key (one process owns the file). */
  async lock(key: string): Promise<StoreLock> {
    const previous = this.#locks.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.#locks.set(key, tail)
    await previous
    let done = false
    return {
      release: async () => {
        if (done) return
        done = true
        release()
        if (this.#locks.get(key) === tail) this.#locks.delete(key)
      },
      extend: async () => !done,
    }
  }
}
