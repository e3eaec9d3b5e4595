import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { createManualClock } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('a refused redirect, as the error says it', () => {
  const f = useFixture()
  const get = () => createTestAuth({ baseUrl: f.server.url, clock: f.clock }).getToken()

  test.each([300, 307])('a %i names its status and the host it points at, nothing more', async (status) => {
    f.server.queue({ status, headers: { location: 'https://elsewhere.example:8443/token?code=abc' } })
    const error = (await get().catch((e: unknown) => e)) as Error
    expect(error).toMatchObject({ code: 'invalid_response' })
    expect(error.message).toContain(`a redirect (HTTP ${status}) to elsewhere.example:8443, which is not followed`)
    expect(error.message).not.toContain('code=abc')
  })

  test.each([
    ['no Location at all', undefined, 'an unnamed location'],
    ['a Location without a host', 'mailto:someone@example.com', 'an unnamed location'],
    ['a Location no URL parser reads', 'http://[bad', 'an unreadable location'],
  ])('%s', async (_name, location, said) => {
    f.server.queue({ status: 302, headers: location === undefined ? {} : { location } })
    await expect(get()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining(`(HTTP 302) to ${said}`) })
  })
})

describe('an answer without a body', () => {
  const f = useFixture()

  test('a 204 is a token answer with an empty body', async () => {
    f.server.queue({ status: 204 })
    await expect(createTestAuth({ baseUrl: f.server.url, clock: f.clock }).getToken()).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('the body is empty'),
    })
  })
})

describe('an answer that announces more than the limit', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  test('is refused by its Content-Length, before a byte of its body is read', async () => {
    // The server announces 100 KB and sends a tiny body: only the header can refuse it.
    server = createServer((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 102400\r\nconnection: close\r\n\r\n{"access_token":"t"}')
      })
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const auth = createTestAuth({ baseUrl: `http://127.0.0.1:${port}`, clock: createManualClock(), retry: { maxAttempts: 1 } })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('the body is larger than 64 KB') })
  })
})
