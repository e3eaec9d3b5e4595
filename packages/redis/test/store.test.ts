import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { createManualClock, type StoredToken } from '@carrier-auth/core'
import { expect, it } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { describeWithRedis, eventually, useRedis } from './support/redis.js'

const KEY = 'carrier-auth|posti|https%3A%2F%2Foauth2.posti.com|acme-client-id||4f1c2a9e0b7d4c3a8e6f5d2c1b0a9e8f'
const HOUR = 3_600_000

function token(name: string, extra: Partial<StoredToken> = {}): StoredToken {
  return { accessToken: `access-${name}-${randomBytes(8).toString('hex')}`, expiresAt: Date.now() + HOUR, issuedAt: Date.now(), ...extra }
}

/** A real AES-256-GCM pair: iv.tag.ciphertext, base64url. */
function aesGcm(key = randomBytes(32)) {
  return {
    encrypt(plaintext: string) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')
    },
    decrypt(sealed: string) {
      const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'))
      const decipher = createDecipheriv('aes-256-gcm', key, iv!)
      decipher.setAuthTag(tag!)
      return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8')
    },
  }
}

describeWithRedis('createRedisStore: the TokenStore contract on a real Redis', () => {
  const redis = useRedis()
  const store = (options: Partial<Parameters<typeof createRedisStore>[0]> = {}) =>
    createRedisStore({ client: redis.client(), keyPrefix: options.keyPrefix ?? redis.prefix(), ...options })

  it('should return undefined for a key nobody wrote', async () => {
    expect(await store().get(KEY)).toBeUndefined()
  })

  it('should read back what another instance wrote, with the version growing by one per write', async () => {
    const keyPrefix = redis.prefix()
    const [a, b] = [store({ keyPrefix }), store({ keyPrefix })]
    const first = token('first', { scope: 'shipping', refreshToken: 'refresh-1' })
    expect(await a.set(KEY, first, HOUR)).toBe(1)
    expect(await b.get(KEY)).toEqual({ token: first, version: 1 })
    const second = token('second')
    expect(await b.set(KEY, second, HOUR)).toBe(2)
    expect(await createRedisStore({ client: redis.client(), keyPrefix }).get(KEY)).toEqual({ token: second, version: 2 })
  })

  it("should give the Redis entry the token's remaining life as its TTL, never longer", async () => {
    const keyPrefix = redis.prefix()
    const s = store({ keyPrefix })
    await s.set(KEY, token('ttl'), 90_000)
    const pttl = await redis.admin.pttl(s.redisKeys(KEY).token)
    expect(pttl).toBeGreaterThan(89_000)
    expect(pttl).toBeLessThanOrEqual(90_000)
  })

  it('should stop returning the entry once Redis expires it', async () => {
    const keyPrefix = redis.prefix()
    await store({ keyPrefix }).set(KEY, token('short'), 40)
    const reader = store({ keyPrefix, memoryTtlMs: 1 })
    await eventually(async () => (await reader.get(KEY)) === undefined, 2000)
    expect(await redis.admin.exists(reader.redisKeys(KEY).token)).toBe(0)
  })

  it('should compare-and-set only against the current version, 0 meaning absent', async () => {
    const s = store()
    expect(await s.compareAndSet(KEY, 1, token('nope'), HOUR)).toBeUndefined()
    const first = token('first')
    expect(await s.compareAndSet(KEY, 0, first, HOUR)).toBe(1)
    expect(await s.compareAndSet(KEY, 0, token('late'), HOUR)).toBeUndefined()
    const second = token('second')
    expect(await s.compareAndSet(KEY, 1, second, HOUR)).toBe(2)
    expect(await s.compareAndSet(KEY, 1, token('stale'), HOUR)).toBeUndefined()
    expect(await s.get(KEY)).toEqual({ token: second, version: 2 })
  })

  it('should answer a compare-and-set repeated with the same token with the version it wrote (retry-safe), and refuse another token', async () => {
    const s = store()
    const v1 = await s.set(KEY, token('a', { refreshToken: 'r1' }), 60_000)
    const rotated = token('b', { refreshToken: 'r2' })
    expect(await s.compareAndSet(KEY, v1, rotated, 60_000)).toBe(v1 + 1)
    expect(await s.compareAndSet(KEY, v1, rotated, 60_000)).toBe(v1 + 1)
    expect(await s.compareAndSet(KEY, v1, token('c', { refreshToken: 'r3' }), 60_000)).toBeUndefined()
  })

  it('should never hand out a version twice, even after the entry is deleted', async () => {
    const s = store()
    await s.set(KEY, token('a'), HOUR)
    await s.set(KEY, token('b'), HOUR)
    await s.delete(KEY)
    expect(await s.get(KEY)).toBeUndefined()
    expect(await s.compareAndSet(KEY, 2, token('stale'), HOUR)).toBeUndefined()
    expect(await s.compareAndSet(KEY, 0, token('c'), HOUR)).toBe(3)
  })

  it('should delete with onlyIfAccessToken only while the entry still holds that token', async () => {
    const keyPrefix = redis.prefix()
    const [a, b] = [store({ keyPrefix }), store({ keyPrefix })]
    const old = token('old')
    const current = token('current')
    await a.set(KEY, old, HOUR)
    await b.set(KEY, current, HOUR)
    await a.delete(KEY, old.accessToken)
    expect((await b.get(KEY))?.token).toEqual(current)
    await a.delete(KEY, current.accessToken)
    expect(await store({ keyPrefix }).get(KEY)).toBeUndefined()
  })

  it('should keep markers with their TTL, shared between instances', async () => {
    const keyPrefix = redis.prefix()
    const [a, b] = [store({ keyPrefix }), store({ keyPrefix })]
    expect(await b.getMarker('acct#cooldown')).toBeUndefined()
    const until = Date.now() + 1_200_000
    await a.setMarker('acct#cooldown', until, 1_200_000)
    expect(await b.getMarker('acct#cooldown')).toBe(until)
    const pttl = await redis.admin.pttl(a.redisKeys('acct#cooldown').marker)
    expect(pttl).toBeGreaterThan(1_190_000)
    expect(pttl).toBeLessThanOrEqual(1_200_000)
  })

  it('should keep no client id in key names and no secret in values', async () => {
    const keyPrefix = redis.prefix()
    const s = store({ keyPrefix })
    await s.set(KEY, token('plain'), HOUR)
    await s.setMarker('carrier-auth|posti|acme-client-id#cooldown', 1, HOUR)
    const dump = await redis.dump(keyPrefix)
    expect(Object.keys(dump).length).toBeGreaterThan(0)
    expect(JSON.stringify(Object.keys(dump))).not.toContain('acme-client-id')
    expect(JSON.stringify(dump)).not.toContain('4f1c2a9e0b7d4c3a8e6f5d2c1b0a9e8f')
  })
})

describeWithRedis('createRedisStore: encryption at rest', () => {
  const redis = useRedis()

  it('should write tokens only as AES-GCM ciphertext, and read them back with the same key', async () => {
    const keyPrefix = redis.prefix()
    const pair = aesGcm()
    const writer = createRedisStore({ client: redis.client(), keyPrefix, ...pair })
    const secret = token('sealed', { refreshToken: `refresh-${randomBytes(8).toString('hex')}` })
    await writer.set(KEY, secret, HOUR)
    const raw = JSON.stringify(await redis.dump(keyPrefix))
    expect(raw).not.toContain(secret.accessToken)
    expect(raw).not.toContain(secret.refreshToken)
    const reader = createRedisStore({ client: redis.client(), keyPrefix, ...pair })
    expect(await reader.get(KEY)).toEqual({ token: secret, version: 1 })
  })

  it('should treat a value it cannot decrypt as absent, so the next caller fetches and overwrites it', async () => {
    const keyPrefix = redis.prefix()
    await createRedisStore({ client: redis.client(), keyPrefix, ...aesGcm() }).set(KEY, token('theirs'), HOUR)
    const ours = aesGcm()
    const other = createRedisStore({ client: redis.client(), keyPrefix, ...ours })
    expect(await other.get(KEY)).toBeUndefined()
    expect(await createRedisStore({ client: redis.client(), keyPrefix }).get(KEY)).toBeUndefined()
    const mine = token('mine')
    await other.set(KEY, mine, HOUR)
    expect(await createRedisStore({ client: redis.client(), keyPrefix, ...ours }).get(KEY)).toEqual({ token: mine, version: 2 })
  })

  it('should delete an encrypted entry by access token without decrypting it', async () => {
    const keyPrefix = redis.prefix()
    const s = createRedisStore({ client: redis.client(), keyPrefix, ...aesGcm() })
    const t = token('sealed')
    await s.set(KEY, t, HOUR)
    await s.delete(KEY, t.accessToken)
    expect(await redis.admin.exists(s.redisKeys(KEY).token)).toBe(0)
  })

  it('should refuse an encrypt without a decrypt', () => {
    expect(() => createRedisStore({ client: redis.client(), encrypt: (s) => s })).toThrow(/encrypt and decrypt together/)
  })
})

describeWithRedis('createRedisStore: the in-memory layer', () => {
  const redis = useRedis()

  it('should answer a repeated get from memory without a Redis command', async () => {
    const keyPrefix = redis.prefix()
    await createRedisStore({ client: redis.client(), keyPrefix }).set(KEY, token('hot'), HOUR)
    const s = createRedisStore({ client: redis.client(), keyPrefix })
    const first = await s.get(KEY)
    const commands = s.stats.commands
    for (let i = 0; i < 100; i++) expect(await s.get(KEY)).toEqual(first)
    expect(s.stats.commands).toBe(commands)
    expect(s.stats.localHits).toBe(100)
  })

  it('should drop its copy when the Redis entry expires, never later', async () => {
    const keyPrefix = redis.prefix()
    const clock = createManualClock(Date.now())
    await createRedisStore({ client: redis.client(), keyPrefix }).set(KEY, token('short-lived'), 2_000)
    const s = createRedisStore({ client: redis.client(), keyPrefix, clock, memoryTtlMs: 60_000 })
    await s.get(KEY)
    clock.advance(1_000)
    await s.get(KEY)
    expect(s.stats.localHits).toBe(1)
    clock.advance(1_000)
    await s.get(KEY)
    expect(s.stats.localMisses).toBe(2)
  })

  it('should keep its copy at most memoryTtlMs, then read Redis again', async () => {
    const keyPrefix = redis.prefix()
    const clock = createManualClock(Date.now())
    const s = createRedisStore({ client: redis.client(), keyPrefix, clock, memoryTtlMs: 5_000 })
    await s.set(KEY, token('mine'), HOUR)
    const replaced = token('replaced')
    await createRedisStore({ client: redis.client(), keyPrefix }).set(KEY, replaced, HOUR)
    clock.advance(4_999)
    expect((await s.get(KEY))?.version).toBe(1)
    clock.advance(1)
    expect(await s.get(KEY)).toEqual({ token: replaced, version: 2 })
  })

  it('should forget its copy on a delete or a write in this process', async () => {
    const s = createRedisStore({ client: redis.client(), keyPrefix: redis.prefix() })
    const a = token('a')
    await s.set(KEY, a, HOUR)
    await s.delete(KEY, a.accessToken)
    expect(await s.get(KEY)).toBeUndefined()
    const b = token('b')
    await s.set(KEY, b, HOUR)
    expect((await s.get(KEY))?.token).toEqual(b)
    expect(await s.compareAndSet(KEY, 1, token('stale'), HOUR)).toBeUndefined()
    expect(await s.get(KEY)).toEqual({ token: b, version: 2 })
  })

  it('should read Redis, not its copy, right after taking the lock', async () => {
    const keyPrefix = redis.prefix()
    const s = createRedisStore({ client: redis.client(), keyPrefix })
    await s.set(KEY, token('old'), HOUR)
    const fresh = token('fresh')
    await createRedisStore({ client: redis.client(), keyPrefix }).set(KEY, fresh, HOUR)
    expect((await s.get(KEY))?.token).not.toEqual(fresh)
    const lock = await s.lock(KEY, 5_000)
    expect(await s.get(KEY)).toEqual({ token: fresh, version: 2 })
    await lock.release()
  })
})

describeWithRedis('createRedisStore: reads in flight', () => {
  const redis = useRedis()

  it('should share one Redis read between concurrent gets of a key', async () => {
    const keyPrefix = redis.prefix()
    await createRedisStore({ client: redis.client(), keyPrefix }).set(KEY, token('burst'), HOUR)
    const s = createRedisStore({ client: redis.client(), keyPrefix })
    const entries = await Promise.all(Array.from({ length: 500 }, () => s.get(KEY)))
    expect(new Set(entries.map((e) => e?.token.accessToken)).size).toBe(1)
    expect(s.stats.commands).toBe(1)
  })

  it('should not answer a get made after a delete with a read that started before it', async () => {
    const keyPrefix = redis.prefix()
    const s = createRedisStore({ client: redis.client(), keyPrefix })
    const old = token('old')
    await createRedisStore({ client: redis.client(), keyPrefix }).set(KEY, old, HOUR)
    const before = s.get(KEY)
    const deleting = s.delete(KEY, old.accessToken)
    const after = s.get(KEY)
    expect((await before)?.token).toEqual(old)
    expect(await after).toBeUndefined()
    await deleting
  })
})
