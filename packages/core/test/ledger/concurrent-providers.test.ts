import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createManualClock } from '../../src/index.js'
import { startTokenServer, type TokenServer } from '../support/token-server.js'
import { createLockingAuth, SECRET } from '../support/test-profile.js'

describe('the account ledger, in one process', () => {
  let server: TokenServer
  const clock = createManualClock()
  beforeEach(async () => {
    server = await startTokenServer({ expiresIn: 3600, secret: SECRET, lockAfter: 5 })
  })
  afterEach(() => server.close())
  const auth = (secret: string) => createLockingAuth({ baseUrl: server.url, clock, clientSecret: secret })

  test('20 providers built at once with one wrong password make 1 failed login', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => auth('wrong-password').getToken()))
    expect(server.failedLogins('account-1')).toBe(1)
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true)
  })

  test('20 providers built at once with the right password all get a token and the account stays open', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth(SECRET).getToken()))
    expect(tokens).toHaveLength(20)
    expect(server.failedLogins('account-1')).toBe(0)
  })

  test('a typo followed by the right password gets a token at once', async () => {
    await expect(auth('a-typo').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect((await auth(SECRET).getToken()).accessToken).toMatch(/^tok-/)
    expect(server.failedLogins('account-1')).toBe(1)
  })

  test('five different wrong passwords: the fifth is never sent, the account is never locked', async () => {
    for (const guess of ['guess-1', 'guess-2', 'guess-3', 'guess-4']) {
      await expect(auth(guess).getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    }
    await expect(auth('guess-5').getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(server.failedLogins('account-1')).toBe(4)
    expect(server.isLocked('account-1')).toBe(false)
  })

  test('the failure budget is a rolling hour: after it, one more guess may go out', async () => {
    for (const guess of ['guess-1', 'guess-2', 'guess-3', 'guess-4']) await auth(guess).getToken().catch(() => {})
    clock.advance(3_600_000)
    await expect(auth('guess-5').getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(server.failedLogins('account-1')).toBe(5 - 0)
  })
})
