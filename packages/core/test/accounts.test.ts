import { describe, expect, test } from 'vitest'
import { carrierFactory, type Clock, createManualClock, MemoryStore } from '../src/index.js'
import { recordEvents } from './support/events.js'
import { startTokenServer } from './support/token-server.js'
import { SECRET, testProfile } from './support/test-profile.js'

const createTestAuth = carrierFactory(testProfile)
let run = 0
/** Client ids unique to one test: the account ledger is process-wide. */
const ids = (n: number) => {
  run++
  return Array.from({ length: n }, (_, i) => `merchant-${run}-${i}`)
}

describe('one carrier client, many accounts', () => {
  test('three accounts of one client get their own tokens, each once, through one shared store', async () => {
    const server = await startTokenServer({ expiresIn: 3600, secret: SECRET })
    const store = new MemoryStore()
    const carrier = createTestAuth.accounts({ baseUrl: server.url, store, clock: createManualClock() })
    const merchants = ids(3)
    const first = await Promise.all(merchants.map((clientId) => carrier.account({ clientId, clientSecret: SECRET }).getToken()))
    const again = await Promise.all(merchants.map((clientId) => carrier.account({ clientId, clientSecret: SECRET }).getToken()))
    expect(new Set(first.map((t) => t.accessToken)).size).toBe(3)
    expect(again.map((t) => t.accessToken)).toEqual(first.map((t) => t.accessToken))
    expect(server.tokenRequests).toBe(3)
    const users = server.received.map((r) => Buffer.from(String(r.headers.authorization).slice(6), 'base64').toString().split(':')[0])
    expect(users.sort()).toEqual([...merchants].sort())
    await server.close()
  })

  test('the same credentials give the same provider; other credentials another one', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const carrier = createTestAuth.accounts({ baseUrl: server.url })
    const [a, b] = ids(2)
    expect(carrier.account({ clientId: a!, clientSecret: SECRET })).toBe(carrier.account({ clientId: a!, clientSecret: SECRET }))
    expect(carrier.account({ clientId: a!, clientSecret: 'another-secret' })).not.toBe(carrier.account({ clientId: a!, clientSecret: SECRET }))
    expect(carrier.account({ clientId: b!, clientSecret: SECRET })).not.toBe(carrier.account({ clientId: a!, clientSecret: SECRET }))
    expect(carrier.size).toBe(3)
    await server.close()
  })

  test('one listener hears every account, and no event or inspect output holds a secret', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const ev = recordEvents()
    const carrier = createTestAuth.accounts({ baseUrl: server.url, onEvent: ev.onEvent })
    const merchants = ids(2)
    for (const clientId of merchants) await carrier.account({ clientId, clientSecret: SECRET }).getToken()
    expect(ev.of('token_acquired')).toHaveLength(2)
    expect(new Set(ev.of('token_acquired').map((e) => e.keyId)).size).toBe(2)
    const { inspect } = await import('node:util')
    expect(JSON.stringify(ev.events) + inspect(carrier, { depth: 5 }) + JSON.stringify(carrier)).not.toContain(SECRET)
    await server.close()
  })

  test('credentials passed to accounts() instead of account() are refused', () => {
    expect(() => createTestAuth.accounts({ baseUrl: 'http://127.0.0.1:1', clientSecret: SECRET } as never)).toThrow(/account\(\), not to accounts\(\)/)
  })

  test("an account with a wrong password is rejected and cooled down; the others' tokens come at once", async () => {
    const server = await startTokenServer({ expiresIn: 3600, secret: SECRET })
    const clock = createManualClock()
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock })
    const [bad, good] = ids(2)
    await expect(carrier.account({ clientId: bad!, clientSecret: 'wrong-password' }).getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(carrier.account({ clientId: bad!, clientSecret: 'wrong-password' }).getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect((await carrier.account({ clientId: good!, clientSecret: SECRET }).getToken()).accessToken).toBe('tok-1')
    // No wait was spent on the good account: the clock never slept.
    expect(clock.sleeps).toEqual([])
    await server.close()
  })

  test("an account waiting out a 429's Retry-After holds no request slot: another account gets its token meanwhile", async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const manual = createManualClock()
    let wake = () => {}
    // A clock whose sleeps end only when the test says so: the 429'd account stays in its wait.
    const clock: Clock = { now: manual.now, sleep: () => new Promise<void>((resolve) => (wake = resolve)) }
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock, maxConcurrentRequests: 1 })
    const [limited, other] = ids(2)
    server.queue({ status: 429, headers: { 'retry-after': '20' } })
    const waiting = carrier.account({ clientId: limited!, clientSecret: SECRET }).getToken()
    while (server.tokenRequests < 1) await new Promise((r) => setImmediate(r))
    expect((await carrier.account({ clientId: other!, clientSecret: SECRET }).getToken()).accessToken).toBe('tok-1')
    wake()
    expect((await waiting).accessToken).toBe('tok-2')
    await server.close()
  })
})
