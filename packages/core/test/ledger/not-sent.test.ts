import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { createManualClock } from '../../src/index.js'
import { createLockingAuth } from '../support/test-profile.js'

/** A port on 127.0.0.1 that nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('a login that provably never left', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  test('connections refused use none of a locking carrier’s budget: once the endpoint is up, the login goes out', async () => {
    const port = await freePort()
    const clock = createManualClock()
    const auth = createLockingAuth({ baseUrl: `http://127.0.0.1:${port}`, clock, retry: { maxAttempts: 1 } })
    // Six refused connections: more than the carrier's 5 failed logins and the budget's 4.
    for (let i = 0; i < 6; i++) await expect(auth.getToken()).rejects.toMatchObject({ code: 'network_error', attempts: 1 })
    let logins = 0
    server = createServer((_req, res) => {
      logins++
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-up', token_type: 'bearer', expires_in: 3600 }))
    })
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
    expect((await auth.getToken()).accessToken).toBe('tok-up')
    expect(logins).toBe(1)
  })

  test('a refused connection is retried within the same call', async () => {
    const port = await freePort()
    const auth = createLockingAuth({ baseUrl: `http://127.0.0.1:${port}`, clock: createManualClock(), retry: { maxAttempts: 3, random: () => 0 } })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'network_error', attempts: 3 })
  })
})
