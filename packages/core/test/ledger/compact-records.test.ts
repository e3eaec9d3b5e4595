import { describe, expect, test } from 'vitest'
import { createManualClock, MemoryStore } from '../../src/index.js'
import { MEMORY_SWEEP_INTERVAL_MS } from '../../src/memory-store.js'
import { ledgerHolds } from '../../src/ledger.js'
import { startTokenServer } from '../support/token-server.js'
import { createLockingAuth } from '../support/test-profile.js'

const accountOf = (baseUrl: string, clientId: string) => ['carrier-auth', 'lockingcarrier', baseUrl, clientId].map(encodeURIComponent).join('|')

describe('the ledger remembers only what it must', () => {
  test('an account whose login succeeded keeps no ledger record, and the store keeps no marker of its attempt', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const clock = createManualClock()
    const store = new MemoryStore({ clock })
    const auth = createLockingAuth({ baseUrl: server.url, clock, store, clientId: 'compact-ok' })
    await auth.getToken()
    expect(ledgerHolds(accountOf(auth.baseUrl, 'compact-ok'))).toBe(false)
    // Past the next sweep: what expired is gone, what is still held is what the store keeps.
    clock.advance(MEMORY_SWEEP_INTERVAL_MS)
    expect(store.size).toEqual({ tokens: 1, markers: 0, locks: 0 })
    await server.close()
  })

  test('a rejected secret keeps its record and its cooldown', async () => {
    const server = await startTokenServer({ expiresIn: 3600, secret: 'the-real-password' })
    const clock = createManualClock()
    const auth = createLockingAuth({ baseUrl: server.url, clock, clientId: 'compact-rejected', clientSecret: 'wrong', retry: { maxAttempts: 1 } })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(ledgerHolds(accountOf(auth.baseUrl, 'compact-rejected'))).toBe(true)
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(server.tokenRequests).toBe(1)
    await server.close()
  })
})
