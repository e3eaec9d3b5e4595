import { describe, expect, test } from 'vitest'
import { ledgerSize } from '../src/ledger.js'
import { carrierFactory, createManualClock, MemoryStore } from '../src/index.js'
import { sampleToken as contractToken } from '../src/testing/check.js'
import { startTokenServer } from './support/token-server.js'
import { SECRET, testProfile } from './support/test-profile.js'

const createTestAuth = carrierFactory(testProfile)
const DAY = 86_400_000

describe('bounded memory', () => {
  test('100k expired entries and markers are swept out of a MemoryStore once a day has passed', async () => {
    const clock = createManualClock()
    const store = new MemoryStore({ clock })
    for (let i = 0; i < 100_000; i++) {
      await store.set(`k${i}`, contractToken(`t${i}`), 3_600_000)
      if (i % 10 === 0) await store.setMarker(`m${i}`, 1, 600_000)
    }
    expect(store.size).toEqual({ tokens: 100_000, markers: 10_000, locks: 0 })
    clock.advance(DAY)
    await store.get('anything')
    expect(store.size).toEqual({ tokens: 0, markers: 0, locks: 0 })
  })

  test('a key written again after it expired and was swept gets a newer version: a compare-and-set on the old one fails', async () => {
    const clock = createManualClock()
    const store = new MemoryStore({ clock })
    const before = await store.set('k', contractToken('old'), 1000)
    clock.advance(DAY)
    expect(store.size.tokens).toBe(0)
    const after = await store.set('k', contractToken('new'), 1000)
    expect(after).toBeGreaterThan(before)
    expect(await store.compareAndSet('k', before, contractToken('stale'), 1000)).toBeUndefined()
  })

  test('accounts beyond maxAccounts are dropped, least recently used first', () => {
    const carrier = createTestAuth.accounts({ baseUrl: 'http://127.0.0.1:1', maxAccounts: 100 })
    const first = carrier.account({ clientId: 'lru-0', clientSecret: SECRET })
    const second = carrier.account({ clientId: 'lru-1', clientSecret: SECRET })
    for (let i = 2; i < 100; i++) carrier.account({ clientId: `lru-${i}`, clientSecret: SECRET })
    // lru-0 used again: lru-1 is now the least recently used.
    expect(carrier.account({ clientId: 'lru-0', clientSecret: SECRET })).toBe(first)
    carrier.account({ clientId: 'lru-100', clientSecret: SECRET })
    expect(carrier.size).toBe(100)
    expect(carrier.account({ clientId: 'lru-0', clientSecret: SECRET })).toBe(first)
    expect(carrier.account({ clientId: 'lru-1', clientSecret: SECRET })).not.toBe(second)
  })

  test('an account not asked for within accountIdleMs is dropped', () => {
    const clock = createManualClock()
    const carrier = createTestAuth.accounts({ baseUrl: 'http://127.0.0.1:1', clock, accountIdleMs: 60_000 })
    for (let i = 0; i < 1000; i++) carrier.account({ clientId: `idle-${i}`, clientSecret: SECRET })
    clock.advance(30_000)
    carrier.account({ clientId: 'idle-0', clientSecret: SECRET })
    clock.advance(30_000)
    expect(carrier.size).toBe(1)
  })

  test('2,000 warmed accounts and 100k built ones, dropped, and a day later: the accounts, the store and the ledger are back to one account', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const clock = createManualClock()
    const store = new MemoryStore({ clock })
    const ledgerBefore = ledgerSize()
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock, store, maxConcurrentRequests: 32 })
    await Promise.all(Array.from({ length: 2000 }, (_, i) => carrier.account({ clientId: `warm-${i}`, clientSecret: SECRET }).getToken()))
    for (let i = 0; i < 100_000; i++) carrier.account({ clientId: `built-${i}`, clientSecret: SECRET })
    expect(store.size.tokens).toBe(2000)
    // Every login succeeded: the ledger keeps no record for any of them.
    expect(ledgerSize() - ledgerBefore).toBe(0)
    expect(carrier.size).toBe(100_000)

    clock.advance(DAY)
    await carrier.account({ clientId: 'next-day', clientSecret: SECRET }).getToken()
    expect(carrier.size).toBe(1)
    expect(store.size).toEqual({ tokens: 1, markers: 0, locks: 0 })
    expect(ledgerSize() - ledgerBefore).toBe(0)
    await server.close()
  }, 120_000)
})
