import { describe, expect, test } from 'vitest'
import { cacheKeys } from '../src/cache-key.js'
import { accountKey, MemoryStore } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('cache keys', () => {
  const f = useFixture()

  test.each([
    ['client id', { clientId: 'client-2' }],
    ['secret', { clientSecret: 'a-different-secret' }],
  ])('a different %s never gets another identity’s token from a shared store', async (_name, change) => {
    const store = new MemoryStore({ clock: f.clock })
    const a = createTestAuth({ baseUrl: f.server.url, clock: f.clock, store })
    const b = createTestAuth({ baseUrl: f.server.url, clock: f.clock, store, ...change })
    const ta = await a.getToken()
    const tb = await b.getToken()
    expect(tb.accessToken).not.toBe(ta.accessToken)
    expect(f.server.tokenRequests).toBe(2)
  })

  test('a different base URL never gets another endpoint’s token from a shared store', async () => {
    const store = new MemoryStore({ clock: f.clock })
    const a = createTestAuth({ baseUrl: f.server.url, clock: f.clock, store })
    const b = createTestAuth({ baseUrl: f.server.url.replace('127.0.0.1', 'localhost'), clock: f.clock, store })
    expect((await b.getToken()).accessToken).not.toBe((await a.getToken()).accessToken)
  })

  test('a key never contains the secret', async () => {
    const seen: string[] = []
    const store = new MemoryStore({ clock: f.clock })
    const spy = Object.assign(Object.create(store), {
      get: (key: string) => (seen.push(key), store.get(key)),
      set: (key: string, ...rest: [never, number]) => (seen.push(key), store.set(key, ...rest)),
    })
    await createTestAuth({ baseUrl: f.server.url, clock: f.clock, store: spy }).getToken()
    expect(seen.length).toBeGreaterThan(0)
    for (const key of seen) expect(key).not.toContain('correct-horse')
  })

  test('the account key (what clearLedger takes) is the cache keys\' account, without the secret or scope', async () => {
    const parts = { carrier: 'posti', endpoint: 'https://gateway.posti.fi', clientId: 'user|1', scope: 's', secret: 'correct-horse' }
    const keys = await cacheKeys(parts)
    expect(accountKey({ carrier: 'posti', baseUrl: 'https://gateway.posti.fi', clientId: 'user|1' })).toBe(keys.account)
    expect((await cacheKeys({ ...parts, secret: 'another', scope: undefined })).account).toBe(keys.account)
    expect(keys.account).not.toContain('correct-horse')
  })
})
