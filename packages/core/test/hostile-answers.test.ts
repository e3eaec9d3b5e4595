import { inspect } from 'node:util'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import { AccessToken } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('hostile or broken token answers', () => {
  const f = useFixture()
  const auth = () => createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { maxAttempts: 1 } })

  const cases: [string, unknown][] = [
    ['an access token with CR LF', { access_token: 'abc\r\nSet-Cookie: x=1', token_type: 'bearer', expires_in: 3600 }],
    ['an access token with a space', { access_token: 'abc def', token_type: 'bearer', expires_in: 3600 }],
    ['an access token beyond Latin-1', { access_token: 'tok-€', token_type: 'bearer', expires_in: 3600 }],
    ['a negative lifetime', { access_token: 'tok-x', token_type: 'bearer', expires_in: -5 }],
    ['a zero lifetime', { access_token: 'tok-x', token_type: 'bearer', expires_in: 0 }],
    ['a negative lifetime as a string', { access_token: 'tok-x', token_type: 'bearer', expires_in: '-5' }],
    ['a lifetime that is not a number', { access_token: 'tok-x', token_type: 'bearer', expires_in: 'soon' }],
  ]
  test.each(cases)('%s is invalid_response, and nothing is cached', async (_, body) => {
    f.server.queue({ status: 200, body })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response' })
    const a = auth()
    expect((await a.getToken()).accessToken).toBe('tok-1')
  })

  test.each([
    ['ten years', 10 * 365 * 24 * 3600],
    ['beyond any date', 1e300],
  ])('a lifetime of %s is invalid_response, and its error still renders', async (_, expiresIn) => {
    f.server.queue({ status: 200, body: { access_token: 'tok-long', token_type: 'bearer', expires_in: expiresIn } })
    const error = await auth().getToken().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('beyond a year') })
    expect(() => JSON.stringify(error)).not.toThrow()
    expect(() => inspect(error)).not.toThrow()
  })

  test('a 50 MB answer is invalid_response without being read whole', async () => {
    let sent = 0
    const big = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      const pump = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length
          if (!res.write(chunk)) return res.once('drain', pump)
        }
        res.end()
      }
      res.write('{"access_token":"')
      pump()
    })
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r))
    try {
      const a = createTestAuth({ baseUrl: `http://127.0.0.1:${(big.address() as AddressInfo).port}`, clock: f.clock, retry: { maxAttempts: 1 } })
      await expect(a.getToken()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('64 KB') })
      expect(sent).toBeLessThan(50 * 1024 * 1024)
    } finally {
      big.closeAllConnections()
      big.close()
    }
  })

  test('an answer announcing a body over 64 KB is refused before it is read', async () => {
    f.server.queue({ status: 200, raw: 'x'.repeat(70 * 1024) })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('64 KB') })
  })
})

describe('a token object', () => {
  test('never throws from JSON.stringify, String or util.inspect, whatever times it holds', () => {
    const token = new AccessToken({ accessToken: 'tok-x', expiresAt: Number.POSITIVE_INFINITY, issuedAt: Number.NaN })
    expect(() => JSON.stringify(token)).not.toThrow()
    expect(() => String(token)).not.toThrow()
    expect(() => inspect(token)).not.toThrow()
  })
})
