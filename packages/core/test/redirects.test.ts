import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { startTokenServer } from './support/token-server.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

describe('token requests never follow redirects', () => {
  const f = useFixture()

  test.each([307, 308, 302])('a %i to another origin is invalid_response, and nothing reaches it', async (status) => {
    const elsewhere = await startTokenServer({ expiresIn: 3600 })
    try {
      f.server.queue({ status, headers: { location: `${elsewhere.url}/token?code=s3cr3t-in-query` } })
      const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
      const error = await auth.getToken().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining(new URL(elsewhere.url).host) })
      expect(String((error as Error).message)).not.toContain('s3cr3t-in-query')
      expect(String((error as Error).message)).not.toContain(SECRET)
      expect(elsewhere.tokenRequests).toBe(0)
      expect(f.server.tokenRequests).toBe(1)
    } finally {
      await elsewhere.close()
    }
  })
})
