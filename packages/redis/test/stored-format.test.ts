import { expect, it } from 'vitest'
import { StoreError } from '@carrier-auth/core'
import { createRedisStore, RedisStoreError } from '../src/index.js'
import { describeWithRedis, useRedis } from './support/redis.js'

const KEY = 'carrier-auth|posti|https%3A%2F%2Foauth2.posti.com|acme-client-id||4f1c2a9e0b7d4c3a8e6f5d2c1b0a9e8f'
const TOKEN = { accessToken: 'at-written-by-0.1.0', expiresAt: 4102444800000, issuedAt: 1767225600000, scope: 'shipping', refreshToken: 'rt-written-by-0.1.0' }
/** The sealing the 0.1.0 fixture was written with (a reversible stand-in for a real cipher). */
const sealing = {
  encrypt: (plaintext: string) => `sealed:${Buffer.from(plaintext).toString('base64')}`,
  decrypt: (ciphertext: string) => Buffer.from(ciphertext.slice('sealed:'.length), 'base64').toString(),
}
/**
 * The token hashes @carrier-auth/redis 0.1.0 (its own codec, before core's storedTokenCodec) wrote
 * for TOKEN, copied from `HGETALL` after a `set`: plain, and sealed with `sealing`.
 */
const WRITTEN_BY_0_1_0 = {
  plain: {
    data: '{"accessToken":"at-written-by-0.1.0","expiresAt":4102444800000,"issuedAt":1767225600000,"scope":"shipping","refreshToken":"rt-written-by-0.1.0"}',
    fp: 'a911f373d8116c84e40e92d5bf6873e7',
    v: '1',
    enc: '',
  },
  sealed: {
    data: 'sealed:eyJhY2Nlc3NUb2tlbiI6ImF0LXdyaXR0ZW4tYnktMC4xLjAiLCJleHBpcmVzQXQiOjQxMDI0NDQ4MDAwMDAsImlzc3VlZEF0IjoxNzY3MjI1NjAwMDAwLCJzY29wZSI6InNoaXBwaW5nIiwicmVmcmVzaFRva2VuIjoicnQtd3JpdHRlbi1ieS0wLjEuMCJ9',
    fp: 'a911f373d8116c84e40e92d5bf6873e7',
    v: '1',
    enc: '1',
  },
}

describeWithRedis('createRedisStore: the stored format', () => {
  const redis = useRedis()

  async function written(hash: Record<string, string>, keyPrefix: string) {
    const tokenKey = createRedisStore({ client: redis.client(), keyPrefix }).redisKeys(KEY).token
    await redis.admin.hset(tokenKey, hash)
    await redis.admin.pexpire(tokenKey, 3_600_000)
  }

  it('should read a plain entry written by 0.1.0', async () => {
    const keyPrefix = redis.prefix()
    await written(WRITTEN_BY_0_1_0.plain, keyPrefix)
    expect(await createRedisStore({ client: redis.client(), keyPrefix }).get(KEY)).toEqual({ token: TOKEN, version: 1 })
  })

  it('should read a sealed entry written by 0.1.0 with the same decrypt', async () => {
    const keyPrefix = redis.prefix()
    await written(WRITTEN_BY_0_1_0.sealed, keyPrefix)
    expect(await createRedisStore({ client: redis.client(), keyPrefix, ...sealing }).get(KEY)).toEqual({ token: TOKEN, version: 1 })
  })

  it('should write the same hash fields 0.1.0 wrote, plain and sealed', async () => {
    for (const [kind, options] of [['plain', {}], ['sealed', sealing]] as const) {
      const keyPrefix = redis.prefix()
      const store = createRedisStore({ client: redis.client(), keyPrefix, ...options })
      await store.set(KEY, TOKEN, 3_600_000)
      expect(await redis.admin.hgetall(store.redisKeys(KEY).token)).toEqual(WRITTEN_BY_0_1_0[kind])
    }
  })

  it("should delete a 0.1.0 entry by its access token (the fingerprint did not change)", async () => {
    const keyPrefix = redis.prefix()
    await written(WRITTEN_BY_0_1_0.plain, keyPrefix)
    const store = createRedisStore({ client: redis.client(), keyPrefix })
    await store.delete(KEY, TOKEN.accessToken)
    expect(await redis.admin.exists(store.redisKeys(KEY).token)).toBe(0)
  })
})

describeWithRedis('RedisStoreError', () => {
  const redis = useRedis()

  it("should be core's StoreError (class and brand) with its own name and code, as a disconnected client shows", async () => {
    const client = redis.client()
    await client.ping()
    client.disconnect()
    const error = await createRedisStore({ client, keyPrefix: redis.prefix() }).get(KEY).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisStoreError)
    expect(error).toBeInstanceOf(StoreError)
    expect(StoreError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ name: 'RedisStoreError', code: 'unavailable', operation: 'get' })
  })
})
