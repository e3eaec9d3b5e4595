import { afterEach, describe, expect, test, vi } from 'vitest'
import { useFixture } from '../support/fixture.js'
import { createTestAuth } from '../support/test-profile.js'

describe('a system clock stepped by hours', () => {
  const f = useFixture()
  afterEach(() => vi.restoreAllMocks())

  test('stepped forward 2 hours, it does not end a cooldown early', async () => {
    f.server.queue({ status: 401 })
    const auth = createTestAuth({ baseUrl: f.server.url })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    const wall = Date.now()
    vi.spyOn(Date, 'now').mockReturnValue(wall + 2 * 3_600_000)
    await expect(createTestAuth({ baseUrl: f.server.url }).getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(f.server.tokenRequests).toBe(1)
  })

  test('stepped forward 2 hours, a token the carrier still honours is not thrown away', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url })
    await auth.getToken()
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 2 * 3_600_000)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
    expect(f.server.tokenRequests).toBe(1)
  })
})
