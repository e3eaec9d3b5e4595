// Plain JavaScript (types in index.d.ts): vitest suites and the .mjs benches import it unbuilt.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createCarrierAuth, defineProfile, formRequest, readOAuthToken } from '@carrier-auth/core'

const CREDENTIALS = Object.freeze({ clientId: 'fleet-client', clientSecret: 'fleet-secret-do-not-store' })

/** The Basic password of a request, or '' without one. */
function basicPassword(authorization = '') {
  const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString()
  return decoded.slice(decoded.indexOf(':') + 1)
}

/**
 * A minimal OAuth 2.0 client-credentials endpoint over real HTTP, counting requests: a fresh
 * random token for the right secret, 401 invalid_client for any other (the conformance suite runs
 * the carriers' faithful emulators; this is enough for a store's tests).
 */
export async function startTokenServer(options = {}) {
  const stats = { tokenRequests: 0 }
  const issued = []
  let delayMs = options.delayMs ?? 0
  const server = createServer((req, res) => {
    stats.tokenRequests++
    req.resume()
    req.on('end', () => {
      setTimeout(() => {
        if (basicPassword(req.headers.authorization) !== CREDENTIALS.clientSecret) {
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
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    issued,
    credentials: { ...CREDENTIALS },
    setDelay(ms) {
      delayMs = ms
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A generic client-credentials carrier (Basic id:secret, form grant), as a carrier package defines one. */
export const testProfile = defineProfile({
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

/** A provider on the test endpoint with its credentials, as a carrier package would build it. */
export function testAuth(server, options = {}) {
  return createCarrierAuth(testProfile, { ...server.credentials, baseUrl: server.url, ...options })
}
