import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createManualClock } from '../src/index.js'
import { FileStore } from '../src/node/file-store.js'

const token = (accessToken: string, refreshToken?: string) => ({ accessToken, expiresAt: 10, issuedAt: 0, ...(refreshToken ? { refreshToken } : {}) })

async function newStore() {
  const dir = await mkdtemp(join(tmpdir(), 'carrier-auth-file-store-'))
  const clock = createManualClock(0)
  return { dir, path: join(dir, 'tokens.json'), clock, store: new FileStore({ path: join(dir, 'tokens.json'), clock }) }
}

describe('FileStore', () => {
  test('a pair written by one instance is read by the next (it survives a restart)', async () => {
    const { path, clock, store } = await newStore()
    await store.set('k', token('a', 'r1'), 60_000)
    const reopened = new FileStore({ path, clock })
    expect(await reopened.get('k')).toEqual({ token: token('a', 'r1'), version: 1 })
  })

  test('the file is private to its owner (mode 0600) and no temporary file is left behind', async () => {
    const { dir, path, store } = await newStore()
    await store.set('k', token('a'), 60_000)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['tokens.json'])
  })

  test('compare-and-set refuses a write based on an older version', async () => {
    const { store } = await newStore()
    const v1 = await store.set('k', token('a', 'r1'), 60_000)
    expect(await store.compareAndSet('k', v1, token('b', 'r2'), 60_000)).toBe(2)
    expect(await store.compareAndSet('k', v1, token('stale', 'r-old'), 60_000)).toBeUndefined()
    expect((await store.get('k'))?.token.refreshToken).toBe('r2')
  })

  test('concurrent writes in one process are serialised, none is lost', async () => {
    const { store } = await newStore()
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, token(`t${i}`), 60_000)))
    for (let i = 0; i < 20; i++) expect((await store.get(`k${i}`))?.token.accessToken).toBe(`t${i}`)
  })

  test('an entry expires with its TTL', async () => {
    const { store, clock } = await newStore()
    await store.set('k', token('a'), 1000)
    clock.advance(1000)
    expect(await store.get('k')).toBeUndefined()
  })

  test('delete with a token only removes that token', async () => {
    const { store, path } = await newStore()
    await store.set('k', token('a'), 60_000)
    await store.delete('k', 'other')
    expect(await store.get('k')).toBeDefined()
    await store.delete('k', 'a')
    expect(JSON.parse(await readFile(path, 'utf8')).tokens).toEqual({})
  })
})
