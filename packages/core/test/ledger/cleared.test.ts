import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { accountKey, type CarrierAuth, clearLedger, createManualClock, MemoryStore } from '../../src/index.js'
import { startTokenServer, type TokenServer } from '../support/token-server.js'
import { createLockingAuth, SECRET } from '../support/test-profile.js'

/** The test profile's account: its client id, at the server the provider talks to. */
const accountOf = (auth: CarrierAuth) => accountKey({ carrier: auth.carrier, baseUrl: auth.baseUrl, clientId: 'account-1' })

describe('clearLedger: the user lifts the cooldown of an account on purpose', () => {
  let server: TokenServer
  /** The server reads its secret at every request: a test may change the password at the carrier. */
  let serverOptions: { expiresIn: number; secret: string; lockAfter: number }
  const clock = createManualClock()
  let store: MemoryStore
  beforeEach(async () => {
    serverOptions = { expiresIn: 3600, secret: SECRET, lockAfter: 5 }
    server = await startTokenServer(serverOptions)
    store = new MemoryStore({ clock })
  })
  afterEach(() => server.close())
  // Every provider shares the store, as the processes sharing a FileStore or Redis do.
  const auth = (secret: string) => createLockingAuth({ baseUrl: server.url, clock, clientSecret: secret, store })

  test('after a clear, a rejected password is sent once more, and its new rejection holds', async () => {
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    clock.advance(1)
    await clearLedger(store, accountOf(auth('wrong-password')), { clock })
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown', message: expect.stringContaining('were rejected recently') })
    expect(server.failedLogins('account-1')).toBe(2)
  })

  test('a password rejected before it was set at the carrier gets a token after a clear', async () => {
    const next = 'the-new-password'
    await expect(auth(next).getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    serverOptions.secret = next
    // Still refused here: the ledger cannot know the carrier's side changed. A clear tells it.
    await expect(auth(next).getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    clock.advance(1)
    await clearLedger(store, accountOf(auth(next)), { clock })
    expect((await auth(next).getToken()).accessToken).toMatch(/^tok-/)
    expect(server.failedLogins('account-1')).toBe(1)
  })

  test('a clear gives back no failed login: the 5th failure within the hour is never sent', async () => {
    for (let i = 0; i < 4; i++) {
      clock.advance(1)
      await clearLedger(store, accountOf(auth('wrong-password')), { clock })
      await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    }
    clock.advance(1)
    await clearLedger(store, accountOf(auth('wrong-password')), { clock })
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown', message: expect.stringContaining('used up its budget') })
    expect(server.failedLogins('account-1')).toBe(4)
    expect(server.isLocked('account-1')).toBe(false)
  })

  test('a clear of another account changes nothing here', async () => {
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    clock.advance(1)
    await clearLedger(store, accountKey({ carrier: 'lockingcarrier', baseUrl: server.url, clientId: 'account-2' }), { clock })
    await expect(auth('wrong-password').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(server.failedLogins('account-1')).toBe(1)
  })
})
