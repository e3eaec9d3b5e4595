import { randomUUID } from 'node:crypto'
import { link, mkdir, open, rename, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname } from 'node:path'

/** Who holds a lock file: written into it, so a waiter can tell a dead holder from a busy one. */
export interface Holder {
  pid: number
  host: string
  /** Random per acquisition: tells this holding apart from any other, even by the same process. */
  owner: string
}

export const HOST = hostname()

/** Whether a process on this machine still runs (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A holder that cannot hold anything any more: its process on this machine has exited. */
export function holderDead(holder: Pick<Holder, 'pid' | 'host'>): boolean {
  return holder.host === HOST && !processAlive(holder.pid)
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code

/**
 * A mutex shared by every process on the machine: a lock file created with O_EXCL (`wx`), so
 * exactly one process can create it; it names its holder (pid, host, a random owner) and is
 * removed on release. It guards one read-modify-write of the store file, a few milliseconds.
 *
 * Why this and not `proper-lockfile`: that library decides staleness by the lock's mtime alone
 * (at least 2 s, refreshed by a timer in the holder), so a crashed holder blocks everyone for
 * seconds and a holder stalled past `stale` is robbed. On one machine the holder's pid answers
 * the real question at once: a lock whose process has exited is stale now; a live holder is never
 * robbed, however slow (only a lock older than `staleMs` with an unreachable holder — another
 * host on a shared disk, or a reused pid — is taken over by age).
 *
 * Taking over a stale lock cannot remove a fresh one: the stale file is first renamed aside (one
 * atomic step, which only one taker can win per file) and then checked to be the very file judged
 * stale (same owner, or same inode and mtime when it held no name yet); a fresh lock moved by
 * mistake is linked back at once.
 */
export class FileMutex {
  readonly #path: string
  readonly #staleMs: number

  constructor(path: string, options: { staleMs?: number } = {}) {
    this.#path = path
    this.#staleMs = options.staleMs ?? 10_000
  }

  /** Runs `step` while holding the lock. */
  async run<T>(step: () => Promise<T>): Promise<T> {
    const owner = await this.#acquire()
    try {
      return await step()
    } finally {
      await this.#release(owner)
    }
  }

  async #acquire(): Promise<string> {
    const owner = randomUUID()
    const body = JSON.stringify({ pid: process.pid, host: HOST, owner } satisfies Holder)
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(this.#path, 'wx', 0o600)
        try {
          await handle.writeFile(body)
        } finally {
          await handle.close()
        }
        return owner
      } catch (error) {
        if (errno(error) === 'ENOENT') {
          await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 })
          continue
        }
        if (errno(error) !== 'EEXIST') throw error
      }
      if (await this.#takeOverIfStale()) continue
      // Held for a few ms: start at 1 ms, double up to 16 ms, with jitter so takers spread out.
      const ceiling = Math.min(16, 2 ** Math.min(attempt, 4))
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + (Math.random() * ceiling) / 2))
    }
  }

  /** Removes the lock only while it is still ours (a takeover by age may have replaced it). */
  async #release(owner: string): Promise<void> {
    const seen = await this.#look()
    if (seen?.holder?.owner === owner) await unlink(this.#path).catch(() => {})
  }

  async #look(path = this.#path): Promise<{ holder: Holder | undefined; ino: number; mtimeMs: number } | undefined> {
    let handle
    try {
      handle = await open(path, 'r')
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined
      throw error
    }
    try {
      // One handle for both: the name cannot point to another file between stat and read.
      const info = await handle.stat()
      let holder: Holder | undefined
      try {
        const parsed = JSON.parse(await handle.readFile('utf8')) as Holder
        if (parsed && typeof parsed.owner === 'string') holder = parsed
      } catch {
        holder = undefined // created, not yet written (or its writer died in between)
      }
      return { holder, ino: info.ino, mtimeMs: info.mtimeMs }
    } finally {
      await handle.close()
    }
  }

  /** True when the lock is gone now (try again at once), false when a live holder has it. */
  async #takeOverIfStale(): Promise<boolean> {
    const seen = await this.#look()
    if (!seen) return true
    const age = Date.now() - seen.mtimeMs
    const stale = seen.holder ? holderDead(seen.holder) || age > this.#staleMs : age > this.#staleMs
    if (!stale) return false
    const aside = `${this.#path}.${randomUUID()}.stale`
    try {
      await rename(this.#path, aside)
    } catch (error) {
      if (errno(error) === 'ENOENT') return true
      throw error
    }
    const moved = await this.#look(aside)
    const same = seen.holder
      ? moved?.holder?.owner === seen.holder.owner
      : moved !== undefined && moved.holder === undefined && moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs
    if (!same) {
      // Someone took the lock between our look and our rename: give it back.
      await link(aside, this.#path).catch(() => {})
    }
    await unlink(aside).catch(() => {})
    return same
  }
}
