import { describe, expect, test } from 'vitest'
import { MemoryStore } from '../../src/index.js'
import { useFixture } from '../support/fixture.js'
import { createLockingAuth } from '../support/test-profile.js'

describe('a ledger kept in memory only', () => {
  const f = useFixture()

  test('the first rejected login says that a restart forgets the ledger', async () => {
    f.server.queue({ status: 401 })
    const auth = createLockingAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(f.ev.of('ledger_volatile')).toHaveLength(1)
  })

  test('the default store is a MemoryStore, which says it does not outlive the process', () => {
    expect(new MemoryStore().persistent).toBe(false)
  })
})
