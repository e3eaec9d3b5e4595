import { createManualClock, type CarrierAuthEvent } from '@carrier-auth/core'
import { afterEach, expect, it } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { describeWithRedis, useRedis } from './support/redis.js'
import { startTokenServer, testAuth } from '@carrier-auth/testing-token-server'

describeWithRedis('a provider on the Redis store', () => {
  const redis = useRedis()
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })
  async function server(options?: Parameters<typeof startTokenServer>[0]) {
    const s = await startTokenServer(options)
    closers.push(s.close)
    return s
  }

  it('should make one token request for five instances × 100 concurrent callers on a cold cache', async () => {
    const endpoint = await server({ delayMs: 20 })
    const keyPrefix = redis.prefix()
    const instances = Array.from({ length: 5 }, () => testAuth(endpoint, { store: createRedisStore({ client: redis.client(), keyPrefix }) }))
    const tokens = await Promise.all(instances.flatMap((auth) => Array.from({ length: 100 }, () => auth.getToken())))
    expect(endpoint.stats.tokenRequests).toBe(1)
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(endpoint.issued))
  })

  it('should make one more request for the whole fleet once the token expires', async () => {
    const endpoint = await server({ expiresInSeconds: 600 })
    const keyPrefix = redis.prefix()
    const clock = createManualClock(Date.now())
    const instances = Array.from({ length: 5 }, () =>
      testAuth(endpoint, { clock, store: createRedisStore({ client: redis.client(), keyPrefix, clock }) }),
    )
    const first = await Promise.all(instances.map((auth) => auth.getToken()))
    clock.advance(600_000)
    const second = await Promise.all(instances.flatMap((auth) => Array.from({ length: 20 }, () => auth.getToken())))
    expect(endpoint.stats.tokenRequests).toBe(2)
    expect(new Set(second.map((t) => t.accessToken)).size).toBe(1)
    expect(second[0]!.accessToken).not.toBe(first[0]!.accessToken)
  })

  it('should share the token of an instance that started later, without a request', async () => {
    const endpoint = await server()
    const keyPrefix = redis.prefix()
    const token = await testAuth(endpoint, { store: createRedisStore({ client: redis.client(), keyPrefix }) }).getToken()
    const events: CarrierAuthEvent[] = []
    const later = testAuth(endpoint, { store: createRedisStore({ client: redis.client(), keyPrefix }), onEvent: (e) => events.push(e) })
    expect((await later.getToken()).accessToken).toBe(token.accessToken)
    expect(endpoint.stats.tokenRequests).toBe(1)
    expect(events).toContainEqual(expect.objectContaining({ type: 'token_acquired', source: 'store' }))
  })

  it('should not hand the fleet a token one instance invalidated', async () => {
    const endpoint = await server()
    const keyPrefix = redis.prefix()
    const [a, b] = [0, 1].map(() => testAuth(endpoint, { store: createRedisStore({ client: redis.client(), keyPrefix }) }))
    const rejected = await a!.getToken()
    await a!.invalidate(rejected)
    const fresh = await b!.getToken()
    expect(fresh.accessToken).not.toBe(rejected.accessToken)
    expect((await a!.getToken()).accessToken).toBe(fresh.accessToken)
    expect(endpoint.stats.tokenRequests).toBe(2)
  })

  it('should keep a rejected secret from being sent again by another process sharing the Redis', async () => {
    const endpoint = await server()
    const keyPrefix = redis.prefix()
    const wrong = { clientSecret: 'a-wrong-secret' } as const
    const first = testAuth({ ...endpoint, credentials: { ...endpoint.credentials, ...wrong } }, { store: createRedisStore({ client: redis.client(), keyPrefix }) })
    await expect(first.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    // Another process: the same Redis, and none of this process's in-memory ledger.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('@carrier-auth/core.account-ledger.v1')]
    const second = testAuth({ ...endpoint, credentials: { ...endpoint.credentials, ...wrong } }, { store: createRedisStore({ client: redis.client(), keyPrefix }) })
    await expect(second.getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(endpoint.stats.tokenRequests).toBe(1)
  })

  it('should keep the fleet token in Redis without the secret, and a second store sends nothing until asked', async () => {
    const endpoint = await server()
    const keyPrefix = redis.prefix()
    const a = testAuth(endpoint, { store: createRedisStore({ client: redis.client(), keyPrefix }) })
    const store = createRedisStore({ client: redis.client(), keyPrefix })
    await a.getToken()
    const dump = await redis.dump(keyPrefix)
    expect(Object.keys(dump).some((k) => k.endsWith(':token'))).toBe(true)
    expect(JSON.stringify(dump)).not.toContain(endpoint.credentials.clientSecret)
    expect(store.stats.commands).toBe(0)
  })
})
