import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { startTokenServer } from './support/token-server.js'
import { createTestAuth } from './support/test-profile.js'

describe('expiry', () => {
  const f = useFixture()

  test('the lifetime is counted from when the request was sent', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const sentAt = f.clock.now()
    const token = await auth.getToken()
    expect(token.issuedAt).toBe(sentAt)
    expect(token.expiresAt).toBe(sentAt + 3600_000)
  })

  test('a token is handed out until the expiry buffer, then refetched', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, expiryBufferMs: 60_000, refreshAheadMs: 0 })
    const first = await auth.getToken()
    f.clock.advance(3600_000 - 60_001)
    expect((await auth.getToken()).accessToken).toBe(first.accessToken)
    f.clock.advance(1)
    expect((await auth.getToken()).accessToken).toBe('tok-2')
    expect(f.server.tokenRequests).toBe(2)
  })

  test('by default a token is not handed out in its last 60 seconds', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, refreshAheadMs: 0 })
    await auth.getToken()
    f.clock.advance(3600_000 - 60_001)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
    f.clock.advance(1)
    expect((await auth.getToken()).accessToken).toBe('tok-2')
  })

  test('the buffer is capped at half the lifetime', async () => {
    f.server.queue({ status: 200, body: { access_token: 'short', expires_in: 60 } })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, expiryBufferMs: 120_000, refreshAheadMs: 0 })
    await auth.getToken()
    f.clock.advance(29_999)
    expect((await auth.getToken()).accessToken).toBe('short')
    f.clock.advance(1)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
  })

  test('a token whose lifetime is missing gets the carrier default', async () => {
    const server = await startTokenServer({ expiresIn: undefined })
    try {
      const auth = createTestAuth({ baseUrl: server.url, clock: f.clock })
      const token = await auth.getToken()
      expect(token.expiresAt - token.issuedAt).toBe(3600_000)
    } finally {
      await server.close()
    }
  })

  test('a token that is already expired on arrival is an invalid_response', async () => {
    f.server.queue({ status: 200, body: { access_token: 'dead', expires_in: 0 } })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_response' })
  })
})
