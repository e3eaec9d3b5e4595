import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createCarrierAuth, defineProfile, formRequest, readOAuthToken, type CarrierAuthOptions, type CommonOptions } from '@carrier-auth/core'

/**
 * A minimal OAuth 2.0 client-credentials endpoint over real HTTP, counting requests; enough for
 * this package's tests (the conformance suite runs the carriers' faithful emulators).
 */
export async function startTokenServer(options: { expiresInSeconds?: number; delayMs?: number } = {}) {
  const stats = { tokenRequests: 0 }
  const issued: string[] = []
  let delayMs = options.delayMs ?? 0
  const server = createServer((req, res) => {
    stats.tokenRequests++
    req.resume()
    req.on('end', () => {
      setTimeout(() => {
        const [, pass] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')
        if (pass !== 'fleet-secret-do-not-store') {
          res.writeHead(401, { 'content-type': 'application/json' })
          return res.end(JSON.stringify({ error: 'invalid_client' }))
        }
        const accessToken = `at-${randomBytes(12).toString('hex')}`
        issued.push(accessToken)
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: options.expiresInSeconds ?? 3600 }))
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    issued,
    credentials: { clientId: 'fleet-client', clientSecret: 'fleet-secret-do-not-store' },
    setDelay(ms: number) {
      delayMs = ms
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

interface TestCredentials {
  clientId: string
  clientSecret: string
}

const testProfile = defineProfile<any, TestCredentials, 'test'>({
  carrier: 'test-carrier',
  displayName: 'Test Carrier',
  environments: { test: null },
  requiredCredentials: ['clientId', 'clientSecret'],
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret }),
  grants: ['client_credentials'],
  requestToken: (client, c, _grant, signal) =>
    client.POST('/token', formRequest({ basic: [c.clientId, c.clientSecret], body: { grant_type: 'client_credentials' }, signal })),
  readToken: readOAuthToken,
  policy: { defaultLifetimeMs: 3_600_000, refreshAheadMs: 0, credentialsCooldownMs: 60_000 },
})

/** A provider on the test endpoint, as a carrier package would build it. */
export function testAuth(server: { url: string; credentials: TestCredentials }, options: CommonOptions & { baseUrl?: string } = {}) {
  return createCarrierAuth(testProfile, { ...server.credentials, baseUrl: server.url, ...options } as TestCredentials & CarrierAuthOptions<'test'>)
}
