import { createServer } from 'node:http'
import { type CarrierAuth, createManualClock, forgetAccount } from '@carrier-auth/core'
import { afterEach, expect, it } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { describeWithRedis, useRedis } from './support/redis.js'
import { testAuth } from '@carrier-auth/testing-token-server'

/** The test carrier's cooldown after a rejected secret (support/token-server.ts). */
const COOLDOWN_MS = 60_000
const credentials = { clientId: 'fleet-client', clientSecret: 'a-wrong-fleet-secret' }

/** A token endpoint that rejects every client (401 invalid_client), counting the logins it saw. */
async function rejectingEndpoint() {
  const stats = { logins: 0 }
  const server = createServer((req, res) => {
    stats.logins++
    req.resume()
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic' })
      res.end(JSON.stringify({ error: 'invalid_client' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Instances on one Redis stand for a fleet of processes once this process's ledger has forgotten
 * the account (`forgetAccount`): all that holds the next instance back is the marker in Redis.
 */
describeWithRedis('the credentials cooldown, fleet-wide through Redis', () => {
  const redis = useRedis()
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })

  async function fleet() {
    const endpoint = await rejectingEndpoint()
    closers.push(endpoint.close)
    const keyPrefix = redis.prefix()
    const clock = createManualClock(Date.now())
    const instance = () =>
      testAuth({ url: endpoint.url, credentials }, { clock, store: createRedisStore({ client: redis.client(), keyPrefix, clock }), retry: { maxAttempts: 1 } })
    const account = (auth: CarrierAuth) => ['carrier-auth', 'test-carrier', auth.baseUrl, credentials.clientId].map(encodeURIComponent).join('|')
    const first = instance()
    await expect(first.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    forgetAccount(account(first))
    return { endpoint, clock, instance }
  }

  it('should not send a secret another instance had rejected', async () => {
    const { endpoint, instance } = await fleet()
    await expect(instance().getToken()).rejects.toMatchObject({ code: 'credentials_cooldown', retryAfterMs: COOLDOWN_MS })
    expect(endpoint.stats.logins).toBe(1)
  })

  it('should send the secret again once the cooldown is over', async () => {
    const { endpoint, clock, instance } = await fleet()
    clock.advance(COOLDOWN_MS)
    await expect(instance().getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(endpoint.stats.logins).toBe(2)
  })
})
