import { describe, expect, test } from 'vitest'
import { useFixture } from '../support/fixture.js'
import { createTestAuth, SECRET } from '../support/test-profile.js'

describe('the ledger with many accounts', () => {
  const f = useFixture()

  test('past 255 known accounts, a rejected secret is still remembered for every provider of its account', async () => {
    // 300 accounts the ledger knows (each got a token), so new records are made past the 256th.
    for (let i = 0; i < 300; i++) await createTestAuth({ baseUrl: f.server.url, clock: f.clock, clientId: `known-${i}` }).getToken()
    f.server.queue({ status: 401, body: { error: 'invalid_client' } })
    const wrong = { baseUrl: f.server.url, clock: f.clock, clientId: 'account-301', clientSecret: `not-${SECRET}` }
    await expect(createTestAuth(wrong).getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    // Another provider of the account (its own MemoryStore: only the process ledger connects them).
    await expect(createTestAuth(wrong).getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(f.server.tokenRequests).toBe(301)
  }, 60_000)
})
