import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createManualClock } from '../../src/index.js'
import { startTokenServer, type TokenServer } from '../support/token-server.js'
import { createLockingAuth } from '../support/test-profile.js'

describe('an attempt whose answer never arrived', () => {
  let server: TokenServer
  const clock = createManualClock()
  beforeEach(async () => {
    // The server counts the failed login when the request arrives and answers after the client gave up.
    server = await startTokenServer({ expiresIn: 3600, secret: 'the-real-password', lockAfter: 5, rejectAfterMs: 400 })
  })
  afterEach(() => server.close())

  test('a 401 held past the timeout, twice: the account is not locked', async () => {
    const auth = createLockingAuth({ baseUrl: server.url, clock, clientSecret: 'wrong-password', timeoutMs: 100 })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'timeout' })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(server.failedLogins('account-1')).toBeLessThan(5)
    expect(server.isLocked('account-1')).toBe(false)
  })

  test('four unanswered attempts use up the budget: not even a new password is sent', async () => {
    const auth = createLockingAuth({ baseUrl: server.url, clock, clientSecret: 'wrong-password', timeoutMs: 100 })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'timeout', attempts: 4 })
    const sent = server.tokenRequests
    await expect(createLockingAuth({ baseUrl: server.url, clock, clientSecret: 'another-guess' }).getToken()).rejects.toMatchObject({
      code: 'credentials_cooldown',
      message: expect.stringContaining('budget'),
    })
    expect(server.tokenRequests).toBe(sent)
  })

  test('a token for the same password proves its unanswered attempts were no failures', async () => {
    await server.close()
    server = await startTokenServer({ expiresIn: 3600, secret: 'the-real-password', lockAfter: 5 })
    const slow = createLockingAuth({ baseUrl: server.url, clock, clientSecret: 'the-real-password', timeoutMs: 1, retry: { maxAttempts: 3 } })
    await slow.getToken().catch(() => {})
    const ok = createLockingAuth({ baseUrl: server.url, clock, clientSecret: 'the-real-password' })
    await expect(ok.getToken()).resolves.toBeDefined()
    for (const guess of ['guess-1', 'guess-2', 'guess-3', 'guess-4']) {
      await expect(createLockingAuth({ baseUrl: server.url, clock, clientSecret: guess }).getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    }
  })
})
