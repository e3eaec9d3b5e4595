import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, test } from 'vitest'
import { MemoryStore } from '../src/index.js'
import { FileStore } from '../src/node/file-store.js'
import { defineStoreContract, type StoreSubject } from '../src/testing/index.js'
import { recordStoreColumn } from '../../../testing/stores/src/matrix-column.js'

const hooks = { describe, test, afterAll }
const onColumn = recordStoreColumn

const memory: StoreSubject = {
  name: 'MemoryStore',
  // One instance per process: the handles of a "fleet" in one process share it.
  async open({ clock, handles }) {
    const store = new MemoryStore({ clock })
    return Array.from({ length: handles }, () => store)
  },
  time: 'manual',
  lock: true,
  lease: 'in-process lock: no holder outlives its process',
  abortableLock: true,
  outage: 'in process: no backend to lose',
}

const folders: string[] = []
const file: StoreSubject = {
  name: 'FileStore',
  // One instance on one file: its lock is in-process, so the handles share the instance.
  // FileStore across processes (a cross-process lock) gets its own subject when it has one.
  async open({ clock, handles }) {
    const folder = await mkdtemp(join(tmpdir(), 'carrier-auth-contract-'))
    folders.push(folder)
    const store = new FileStore({ path: join(folder, 'tokens.json'), clock })
    return Array.from({ length: handles }, () => store)
  },
  time: 'manual',
  lock: true,
  lease: 'in-process lock: no holder outlives its process',
  abortableLock: 'its lock() takes no signal',
  outage: 'a local file: no backend to lose',
}
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))))

defineStoreContract(memory, hooks, { onColumn })
defineStoreContract(file, hooks, { onColumn })
