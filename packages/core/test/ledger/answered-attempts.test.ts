import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createManualClock } from '../../src/index.js'
import { startTokenServer, type TokenServer } from '../support/token-server.js'
import { createLockingAuth, SECRET } from '../support/test-profile.js'

describe('the failure budget of a carrier that locks accounts', () => {
  let server: TokenServer
  const clock = createManualClock()
  beforeEach(async () => {
    server = await startTokenServer({ expiresIn: 3600, secret: SECRET, lockAfter: 5 })
  })
  afterEach(() => server.close())

  test('five server errors in a row spend none of it: the next login goes out and gets a token', async () => {
    const auth = () => createLockingAuth({ baseUrl: server.url, clock, retry: { maxAttempts: 1 } })
    for (let i = 0; i < 5; i++) {
      server.queue({ status: 503 })
      await expect(auth().getToken()).rejects.toMatchObject({ code: 'server_error' })
    }
    expect((await auth().getToken()).accessToken).toBe('tok-1')
    expect(server.tokenRequests).toBe(6)
  })
})
