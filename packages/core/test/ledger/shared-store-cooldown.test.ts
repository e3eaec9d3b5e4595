import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type CarrierAuth, createManualClock, forgetAccount, type ManualClock, MemoryStore } from '../../src/index.js'
import { ledgerHolds } from '../../src/ledger.js'
import { startTokenServer, type TokenServer } from '../support/token-server.js'
import { createTestAuth, SECRET } from '../support/test-profile.js'

/** The test carrier's cooldown after a rejected secret (its profile's credentialsCooldownMs). */
const COOLDOWN_MS = 10 * 60_000

/**
 * The cooldown reaches other processes only through the store's marker. Two providers on one
 * store stand for two processes once this process's ledger has forgotten the account: all that
 * is left to hold the second back is what the first wrote to the store. (test/ledger/processes
 * shows the same with real processes; this one runs in-process, where mutation testing sees it.)
 */
describe('the credentials cooldown, shared through the store', () => {
  let server: TokenServer
  let clock: ManualClock
  let store: MemoryStore
  beforeEach(async () => {
    server = await startTokenServer({ expiresIn: 3600, secret: SECRET })
    clock = createManualClock()
    store = new MemoryStore({ clock })
  })
  afterEach(() => server.close())

  const provider = (secret: string) => createTestAuth({ baseUrl: server.url, clock, store, clientSecret: secret, retry: { maxAttempts: 1 } })
  /** The ledger's account: carrier, endpoint and client id (cache-key.ts). */
  const accountOf = (auth: CarrierAuth) => ['carrier-auth', 'testcarrier', auth.baseUrl, 'client-1'].map(encodeURIComponent).join('|')

  /** One provider is rejected; then this process forgets the account, as another process never knew it. */
  async function rejectedElsewhere(secret: string) {
    const first = provider(secret)
    await expect(first.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(ledgerHolds(accountOf(first))).toBe(true)
    forgetAccount(accountOf(first))
    expect(ledgerHolds(accountOf(first))).toBe(false)
  }

  test('a secret rejected by one process is not sent by another process sharing the store', async () => {
    await rejectedElsewhere('wrong-secret')
    await expect(provider('wrong-secret').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown', retryAfterMs: COOLDOWN_MS })
    expect(server.tokenRequests).toBe(1)
  })

  test('the other process still holds back one millisecond before the cooldown ends', async () => {
    await rejectedElsewhere('wrong-secret')
    clock.advance(COOLDOWN_MS - 1)
    await expect(provider('wrong-secret').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown', retryAfterMs: 1 })
    expect(server.tokenRequests).toBe(1)
  })

  test('once the cooldown is over the other process sends the secret again', async () => {
    await rejectedElsewhere('wrong-secret')
    clock.advance(COOLDOWN_MS)
    await expect(provider('wrong-secret').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(server.tokenRequests).toBe(2)
  })

  test('the marker holds back only the rejected secret: the corrected one gets a token', async () => {
    await rejectedElsewhere('wrong-secret')
    expect((await provider(SECRET).getToken()).accessToken).toBe('tok-1')
    expect(server.tokenRequests).toBe(2)
  })
})
