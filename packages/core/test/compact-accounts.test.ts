import { describe, expect, test } from 'vitest'
import { AccountAuth } from '../src/account-auth.js'
import { carrierFactory, createManualClock, MemoryStore } from '../src/index.js'
import { startTokenServer } from './support/token-server.js'
import { SECRET, testProfile } from './support/test-profile.js'

const createTestAuth = carrierFactory(testProfile)
const MIN = 60_000
let run = 0
const ids = (n: number) => {
  run++
  return Array.from({ length: n }, (_, i) => `compact-${run}-${i}`)
}

/** A MemoryStore that counts its reads. */
class CountingStore extends MemoryStore {
  reads = 0
  override async get(key: string) {
    this.reads++
    return super.get(key)
  }
}

describe('a cached account is a compact record', () => {
  test('a warmed account keeps no token cache, and its next getToken reads nothing but its entry', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const store = new CountingStore()
    const carrier = createTestAuth.accounts({ baseUrl: server.url, store, clock: createManualClock() })
    const [id] = ids(1)
    const account = carrier.account({ clientId: id!, clientSecret: SECRET })
    const first = await account.getToken()
    expect(AccountAuth.hasCache(account as AccountAuth)).toBe(false)
    const reads = store.reads
    expect(await carrier.account({ clientId: id!, clientSecret: SECRET }).getToken()).toBe(first)
    expect(store.reads).toBe(reads)
    expect(server.tokenRequests).toBe(1)
    await server.close()
  })

  test('an account whose cache was let go refreshes ahead once, in the background, as one that kept it would', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const clock = createManualClock()
    // No jitter: refresh-ahead starts exactly 5 minutes before expiry, at minute 55.
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock, retry: { random: () => 0 } })
    const account = carrier.account({ clientId: ids(1)[0]!, clientSecret: SECRET })
    const first = await account.getToken()
    clock.advance(56 * MIN)
    // Inside the window: the current token at once, and one refresh behind it.
    expect(await Promise.all([account.getToken(), account.getToken(), account.getToken()])).toEqual([first, first, first])
    await expect.poll(() => server.tokenRequests).toBe(2)
    await expect.poll(async () => (await account.getToken()).accessToken).not.toBe(first.accessToken)
    expect(AccountAuth.hasCache(account as AccountAuth)).toBe(false)
    expect(server.tokenRequests).toBe(2)
    await server.close()
  })

  test('a forced refresh of a warmed account is shared by a caller asking meanwhile', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock: createManualClock() })
    const account = carrier.account({ clientId: ids(1)[0]!, clientSecret: SECRET })
    const first = await account.getToken()
    const [forced, meanwhile] = await Promise.all([account.getToken({ forceRefresh: true }), account.getToken()])
    expect(forced.accessToken).not.toBe(first.accessToken)
    expect(meanwhile).toBe(forced)
    expect(server.tokenRequests).toBe(2)
    await server.close()
  })

  test('invalidating the token of a warmed account makes its next call fetch a new one', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock: createManualClock() })
    const account = carrier.account({ clientId: ids(1)[0]!, clientSecret: SECRET })
    const first = await account.getToken()
    await account.invalidate(first)
    expect((await account.getToken()).accessToken).not.toBe(first.accessToken)
    expect(server.tokenRequests).toBe(2)
    await server.close()
  })

  test('the same client id with another secret is another account, and each is found again', () => {
    const carrier = createTestAuth.accounts({ baseUrl: 'http://127.0.0.1:1' })
    const [id] = ids(1)
    const a = carrier.account({ clientId: id!, clientSecret: SECRET })
    const b = carrier.account({ clientId: id!, clientSecret: 'rotated-secret' })
    expect(b).not.toBe(a)
    expect(carrier.account({ clientId: id!, clientSecret: 'rotated-secret' })).toBe(b)
    expect(carrier.account({ clientId: id!, clientSecret: SECRET })).toBe(a)
    expect(carrier.size).toBe(2)
    expect(carrier.forget({ clientId: id!, clientSecret: 'rotated-secret' })).toBe(true)
    expect(carrier.account({ clientId: id!, clientSecret: SECRET })).toBe(a)
    expect(carrier.size).toBe(1)
  })

  test('an account provider passed on as a fetch keeps working detached', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock: createManualClock() })
    const { fetch } = carrier.account({ clientId: ids(1)[0]!, clientSecret: SECRET })
    const response = await fetch(`${server.url}/resource`)
    expect(response.status).not.toBe(0)
    expect(server.tokenRequests).toBe(1)
    await server.close()
  })
})
