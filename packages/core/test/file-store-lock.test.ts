import { spawnSync } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createManualClock } from '../src/index.js'
import { FileStore } from '../src/node/file-store.js'

const token = (accessToken: string) => ({ accessToken, expiresAt: 10, issuedAt: 0 })

async function newStore() {
  const dir = await mkdtemp(join(tmpdir(), 'carrier-auth-file-store-'))
  const clock = createManualClock(0)
  const path = join(dir, 'tokens.json')
  return { dir, path, clock, store: new FileStore({ path, clock }) }
}

/** The pid of a process that has exited (and been reaped): nothing runs under it now. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!
}

describe('FileStore: the lock lease', () => {
  test('a second taker waits for the holder and gets the lock once it is released', async () => {
    const { store } = await newStore()
    const order: string[] = []
    const first = await store.lock('k', 10_000)
    const second = store.lock('k', 10_000).then((lock) => (order.push('second locked'), lock))
    order.push('first releases')
    await first.release()
    await (await second).release()
    expect(order).toEqual(['first releases', 'second locked'])
  })

  test('a lease that was not extended runs out by the store clock: the next taker gets it and the old holder cannot extend', async () => {
    const { store, clock } = await newStore()
    const first = await store.lock('k', 1000)
    clock.advance(1000)
    const second = await store.lock('k', 1000)
    expect(await first.extend(1000)).toBe(false)
    expect(await second.extend(1000)).toBe(true)
    await first.release() // not ours any more: leaves the second holder's lease alone
    await expect(store.lock('k', 1000, AbortSignal.timeout(100))).rejects.toThrow()
    await second.release()
  })

  test('extend keeps the lease past its first TTL', async () => {
    const { store, clock } = await newStore()
    const lock = await store.lock('k', 1000)
    clock.advance(900)
    expect(await lock.extend(1000)).toBe(true)
    clock.advance(900)
    await expect(store.lock('k', 1000, AbortSignal.timeout(100))).rejects.toThrow()
    await lock.release()
    expect(await lock.extend(1000)).toBe(false)
  })

  test("a waiter stops when the caller's signal aborts, and leaves no lease behind", async () => {
    const { store } = await newStore()
    const held = await store.lock('k', 60_000)
    const controller = new AbortController()
    const waiting = store.lock('k', 60_000, controller.signal)
    controller.abort(new Error('caller gave up'))
    await expect(waiting).rejects.toThrow('caller gave up')
    await held.release()
    await (await store.lock('k', 60_000)).release()
  })

  test("a lease whose holder's process has exited is free at once", async () => {
    const { path, store } = await newStore()
    const lease = { pid: deadPid(), host: hostname(), owner: 'gone', expiresAt: 60_000 }
    await writeFile(path, JSON.stringify({ version: 1, tokens: {}, markers: {}, leases: { k: lease } }))
    await (await store.lock('k', 60_000)).release()
  })
})

describe('FileStore: the file lock between processes', () => {
  test('a file lock left by a process that died is taken over, and the write goes through', async () => {
    const { dir, path, store } = await newStore()
    await writeFile(`${path}.lock`, JSON.stringify({ pid: deadPid(), host: hostname(), owner: 'gone' }))
    expect(await store.set('k', token('a'), 60_000)).toBe(1)
    expect(await readdir(dir)).toEqual(['tokens.json'])
  })

  test('a file lock held by a live process is waited for, never taken over', async () => {
    const { path, store } = await newStore()
    await writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), owner: 'busy' }))
    const order: string[] = []
    const writing = store.set('k', token('a'), 60_000).then(() => order.push('written'))
    await new Promise((resolve) => setTimeout(resolve, 50)) // the writer is polling meanwhile
    order.push('lock removed')
    await rm(`${path}.lock`)
    await writing
    expect(order).toEqual(['lock removed', 'written'])
  })
})

describe('FileStore: versions', () => {
  test('a version is never reused after a delete or an expiry (no ABA for compare-and-set)', async () => {
    const { store, clock } = await newStore()
    expect(await store.set('k', token('a'), 1000)).toBe(1)
    await store.delete('k')
    expect(await store.set('k', token('b'), 1000)).toBe(2)
    clock.advance(1000)
    await store.setMarker('other', 1, 1000) // a write that prunes the expired entry
    expect(await store.compareAndSet('k', 0, token('c'), 1000)).toBe(3)
  })
})
