import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { FileStore } from '../src/node/file-store.js'
import { StoreProcess } from './support/processes.js'

// Real child processes sharing one real file (the built FileStore: build core before these tests).
const started: StoreProcess[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()))
})

async function sharedFile(n: number) {
  const path = join(await mkdtemp(join(tmpdir(), 'carrier-auth-file-store-')), 'tokens.json')
  const processes = await StoreProcess.startMany(n, path)
  started.push(...processes)
  return { path, processes, store: new FileStore({ path }) }
}

describe('FileStore shared by several processes', () => {
  test('4 processes writing 25 keys each into one file at once: all 100 keys are kept', async () => {
    const { processes, store } = await sharedFile(4)
    await Promise.all(processes.map((p, i) => p.run('set-keys', { prefix: `p${i}-`, count: 25 })))
    for (let i = 0; i < 4; i++) {
      for (let k = 0; k < 25; k++) expect((await store.get(`p${i}-${k}`))?.token.accessToken).toBe(`p${i}-${k}`)
    }
  }, 60_000)

  test('4 processes writing one key 25 times each get the versions 1 to 100, each once', async () => {
    const { processes, store } = await sharedFile(4)
    const versions = (await Promise.all(processes.map((p) => p.run<number[]>('set-one', { key: 'k', count: 25 })))).flat()
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect((await store.get('k'))?.version).toBe(100)
  }, 60_000)

  test('4 processes racing compare-and-set on one key: exactly one winner per version, no write lost', async () => {
    const { processes, store } = await sharedFile(4)
    const tries = (await Promise.all(processes.map((p) => p.run<{ expected: number; won: boolean }[]>('cas', { key: 'k', successes: 10 })))).flat()
    const winners = new Map<number, number>()
    for (const t of tries) if (t.won) winners.set(t.expected, (winners.get(t.expected) ?? 0) + 1)
    expect([...winners.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    expect([...winners.values()].every((n) => n === 1)).toBe(true)
    expect((await store.get('k'))?.version).toBe(40)
  }, 60_000)

  test('the lock lets one process in at a time: 4 processes × 10 locked read-then-write increments count to 40', async () => {
    const { processes, store } = await sharedFile(4)
    await Promise.all(processes.map((p) => p.run('count', { key: 'counter', count: 10, ttlMs: 30_000 })))
    expect((await store.get('counter'))?.token.accessToken).toBe('40')
  }, 60_000)

  test('markers under the lock are cross-process too: 4 processes × 10 locked read-then-write marker increments count to 40', async () => {
    const { processes, store } = await sharedFile(4)
    await Promise.all(processes.map((p) => p.run('count-marker', { key: 'attempts', count: 10, ttlMs: 30_000 })))
    expect(await store.getMarker('attempts')).toBe(40)
  }, 60_000)

  test("a SIGKILLed holder's lock is taken over within its lease, not after it", async () => {
    const { path, processes } = await sharedFile(2)
    const [holder, waiter] = processes as [StoreProcess, StoreProcess]
    await holder.run('hold', { key: 'k', ttlMs: 60_000 })
    const lease = JSON.parse(await readFile(path, 'utf8')).leases.k
    expect(lease.pid).toBe(holder.pid)
    await holder.signal('SIGKILL')
    const takenAt = await waiter.run<number>('take', { key: 'k', ttlMs: 60_000 })
    expect(takenAt).toBeLessThan(lease.expiresAt)
  }, 60_000)

  test('a stalled holder (SIGSTOP) loses its lock when its lease runs out, and its extend then answers false', async () => {
    const { path, processes } = await sharedFile(2)
    const [holder, waiter] = processes as [StoreProcess, StoreProcess]
    await holder.run('hold', { key: 'k', ttlMs: 400 })
    const lease = JSON.parse(await readFile(path, 'utf8')).leases.k
    await holder.signal('SIGSTOP')
    const takenAt = await waiter.run<number>('take', { key: 'k', ttlMs: 60_000 })
    expect(takenAt).toBeGreaterThanOrEqual(lease.expiresAt)
    await holder.signal('SIGCONT')
    expect(await holder.run<boolean>('extend', { ttlMs: 60_000 })).toBe(false)
  }, 60_000)
})
