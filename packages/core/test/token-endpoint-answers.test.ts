import { createServer } from 'node:net'
import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('what a token answer is taken for', () => {
  const f = useFixture()
  const auth = (extra: Parameters<typeof createTestAuth>[0] = {}) =>
    createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, retry: { random: () => 0.5 }, ...extra })
  const html = (status: number, raw: string) => ({ status, raw, headers: { 'content-type': 'text/html' } })

  test('an HTML page with a 429 is still rate limiting: waited out and retried', async () => {
    f.server.queue(html(429, '<html><body>Slow down</body></html>'))
    expect((await auth().getToken()).accessToken).toBe('tok-1')
    expect(f.ev.of('retry_scheduled')).toMatchObject([{ code: 'rate_limited', status: 429 }])
  })

  test.each([
    ['a doctype in capitals after blank lines', '\n\n  <!DOCTYPE HTML><p>Sign in</p>'],
    ['a head first', '<head><title>Login</title></head>'],
    ['a bare body', '<body>Sign in</body>'],
  ])('%s with a 403 is an HTML page, not a refused login', async (_name, raw) => {
    f.server.queue(html(403, raw))
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response', status: 403, message: expect.stringContaining('an HTML page instead of the token endpoint') })
  })

  test('a 403 whose text only mentions html is a refused login', async () => {
    f.server.queue({ status: 403, raw: 'not <html> here', headers: { 'content-type': 'text/plain' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_credentials', status: 403 })
  })

  test('an empty 200 says the body is empty', async () => {
    f.server.queue({ status: 200, raw: '' })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response', status: 200, message: expect.stringContaining('the body is empty') })
  })

  test('a 200 without an access token says so', async () => {
    f.server.queue({ status: 200, body: { token_type: 'bearer' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('the body has no usable access token') })
  })

  test('a refused connection is a network_error named by its code, its cause keeping the code and no message', async () => {
    const port = await closedPort()
    const error = (await auth({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } })
      .getToken()
      .catch((e: unknown) => e)) as Error & { code: string; cause: Error & { code?: string } }
    expect(error).toMatchObject({ code: 'network_error', message: expect.stringContaining('(ECONNREFUSED)') })
    expect(error.cause).toBeInstanceOf(Error)
    expect(error.cause.code).toBe('ECONNREFUSED')
    expect(error.cause.message).toBe('TypeError')
    expect(error.cause.message).not.toContain(String(port))
  })

  test('a dropped connection is a network_error', async () => {
    f.server.queue({ drop: true })
    await expect(auth({ retry: { maxAttempts: 1 } }).getToken()).rejects.toMatchObject({ code: 'network_error', attempts: 1 })
  })

  test('a 400 with an OAuth error the carrier did not document keeps it out of oauthError', async () => {
    f.server.queue({ status: 400, body: { error: 'hunter2-secret-ish' } })
    const error = await auth().getToken().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_config', status: 400, oauthError: undefined })
  })

  test('a 400 invalid_scope is invalid_config and names the OAuth error', async () => {
    f.server.queue({ status: 400, body: { error: 'invalid_scope' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_config', status: 400, oauthError: 'invalid_scope' })
  })

  test('a 401 unauthorized_client is a refused login', async () => {
    f.server.queue({ status: 400, body: { error: 'unauthorized_client' } })
    await expect(auth().getToken()).rejects.toMatchObject({ code: 'invalid_credentials', oauthError: 'unauthorized_client' })
  })
})
