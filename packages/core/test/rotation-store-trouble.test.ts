import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createAuthorizationCodeAuth, createCarrierAuth, createManualClock, MemoryStore, type ManualClock, type TokenStore } from '../src/index.js'
import { recordEvents } from './support/events.js'
import { ROTATING_CREDENTIALS, rotatingProfile, startRotatingServer, type RotatingServer } from './support/rotating-server.js'

const HOUR = 3_600_000
const REDIRECT = 'https://shop.example/callback'

/**
 * A real MemoryStore behind a switchboard: its writes can be made to fail (a store down for
 * writes), to lose a race once (a compare-and-set that finds another version), and its data can
 * be lost whole (a Redis restarted empty), while every client keeps the same store object.
 */
function troubledStore(clock: ManualClock) {
  const box = { inner: new MemoryStore({ clock }), writesDown: false, conflictOnce: false }
  const store: TokenStore = {
    get: (k) => box.inner.get(k),
    set: (k, t, ttl) => box.inner.set(k, t, ttl),
    compareAndSet: async (k, v, t, ttl) => {
      if (box.writesDown) throw new Error('store down for writes')
      if (box.conflictOnce) {
        box.conflictOnce = false
        return undefined
      }
      return box.inner.compareAndSet(k, v, t, ttl)
    },
    delete: (k, a) => box.inner.delete(k, a),
    getMarker: (k) => box.inner.getMarker(k),
    setMarker: (k, v, ttl) => box.inner.setMarker(k, v, ttl),
    lock: (k, ttl, s) => box.inner.lock(k, ttl, s),
  }
  return { store, box, loseEverything: () => (box.inner = new MemoryStore({ clock })) }
}

describe('rotation when the store is in trouble', () => {
  const f = {} as { server: RotatingServer; clock: ManualClock; s: ReturnType<typeof troubledStore>; ev: ReturnType<typeof recordEvents> }
  beforeEach(async () => {
    f.server = await startRotatingServer()
    f.clock = createManualClock()
    f.s = troubledStore(f.clock)
    f.ev = recordEvents()
  })
  afterEach(() => f.server.close())

  const options = () => ({ ...ROTATING_CREDENTIALS, baseUrl: f.server.url, clock: f.clock, store: f.s.store, onEvent: f.ev.onEvent, retry: { random: () => 0.5 } })
  const client = () => createAuthorizationCodeAuth(rotatingProfile, options())
  const connect = async (a: ReturnType<typeof client>, account = 'shop-1') => {
    const { state } = a.authorizeUrl({ redirectUri: REDIRECT })
    return a.exchangeCode({ code: 'code-1', state, expectedState: state, redirectUri: REDIRECT, account })
  }

  test('a rotated pair the store will not take is tried 5 times, then kept in memory and sent first at the next refresh', async () => {
    const a = client()
    await connect(a)
    f.clock.advance(HOUR)
    f.s.box.writesDown = true
    expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
    expect(f.ev.of('store_unavailable').filter((e) => e.operation === 'compareAndSet')).toHaveLength(5)
    expect(f.clock.sleeps).toEqual([100, 400, 1000, 1500])
    f.s.box.writesDown = false
    f.clock.advance(HOUR)
    expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-3')
    expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2'])
    // Written at last: another client takes the pair from the store.
    expect((await client().forAccount('shop-1').getToken()).accessToken).toBe('at-3')
    expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2'])
  })

  test('a store that lost the pair is written back with the one pair no one else can have rotated', async () => {
    const a = client()
    await connect(a)
    f.clock.advance(HOUR)
    f.s.box.writesDown = true
    await a.forAccount('shop-1').getToken()
    f.s.box.writesDown = false
    f.s.loseEverything()
    f.clock.advance(HOUR)
    expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-3')
    expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2'])
    expect((await client().forAccount('shop-1').getToken()).accessToken).toBe('at-3')
  })

  test('a store that lost a pair it held: the pair in memory is never sent (another process may have rotated it)', async () => {
    const a = client()
    await connect(a)
    f.s.loseEverything()
    f.clock.advance(HOUR)
    await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining("no longer holds this account's pair") })
    expect(f.server.refreshesSent).toEqual([])
  })

  test('the pair written back stays in the store even when the refresh after it fails, for another client to use', async () => {
    const a = client()
    await connect(a)
    f.clock.advance(HOUR)
    f.s.box.writesDown = true
    await a.forAccount('shop-1').getToken()
    f.s.box.writesDown = false
    f.s.loseEverything()
    f.clock.advance(HOUR)
    f.server.next({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 })
    await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'server_error' })
    expect((await client().forAccount('shop-1').getToken()).accessToken).toBe('at-3')
    expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2', 'rt-2', 'rt-2', 'rt-2', 'rt-2'])
  })

  test('a pair that reached the store is never written back once the store lost it, and not sent', async () => {
    const a = client()
    await connect(a)
    f.clock.advance(HOUR)
    expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
    f.s.loseEverything()
    f.clock.advance(HOUR)
    await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'store_unavailable' })
    expect(f.server.refreshesSent).toEqual(['rt-1'])
  })

  test('a write that lost a race to an unusable pair writes the rotated pair anyway, for everyone', async () => {
    const a = client()
    await connect(a)
    f.clock.advance(HOUR)
    f.s.box.conflictOnce = true
    expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
    expect((await client().forAccount('shop-1').getToken()).accessToken).toBe('at-2')
    expect(f.server.refreshesSent).toEqual(['rt-1'])
  })
})

describe('spent refresh tokens, remembered in the store', () => {
  const f = {} as { server: RotatingServer; clock: ManualClock; store: MemoryStore }
  beforeEach(async () => {
    f.server = await startRotatingServer()
    f.clock = createManualClock()
    f.store = new MemoryStore({ clock: f.clock })
  })
  afterEach(() => f.server.close())
  const client = () => createAuthorizationCodeAuth(rotatingProfile, { ...ROTATING_CREDENTIALS, baseUrl: f.server.url, clock: f.clock, store: f.store })
  const connect = async (a: ReturnType<typeof client>, account: string) => {
    const { state } = a.authorizeUrl({ redirectUri: REDIRECT })
    return a.exchangeCode({ code: 'code-1', state, expectedState: state, redirectUri: REDIRECT, account })
  }

  test("one refused refresh token marks only itself: a new pair, refreshed by a new client, goes out", async () => {
    await connect(client(), 'shop-1')
    f.server.revoke()
    f.clock.advance(HOUR)
    await expect(client().forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
    await connect(client(), 'shop-1')
    f.clock.advance(HOUR)
    expect((await client().forAccount('shop-1').getToken()).accessToken).toBe('at-3')
    expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2'])
  })

  test("an invalidated token's pair is refreshed by another client with the refresh token it kept", async () => {
    const a = client()
    const first = await connect(a, 'shop-1')
    await a.forAccount('shop-1').invalidate(first)
    expect((await client().forAccount('shop-1').getToken()).accessToken).toBe('at-2')
    expect(f.server.refreshesSent).toEqual(['rt-1'])
  })
})

describe('the authorization-code client, in detail', () => {
  let server: RotatingServer
  beforeEach(async () => {
    server = await startRotatingServer()
  })
  afterEach(() => server.close())
  const options = () => ({ ...ROTATING_CREDENTIALS, baseUrl: server.url, clock: createManualClock() })

  test('a state mismatch names the carrier', async () => {
    const a = createAuthorizationCodeAuth(rotatingProfile, options())
    await expect(a.exchangeCode({ code: 'c', state: 'a', expectedState: 'b', redirectUri: REDIRECT, account: 'shop-1' })).rejects.toMatchObject({
      code: 'state_mismatch',
      carrier: 'rotatingcarrier',
    })
  })

  test.each([
    ['a number state equal to the expected text', 7, '7'],
    ['a text state equal to an expected number', '7', 7],
  ])('%s is a mismatch', async (_name, state, expectedState) => {
    const a = createAuthorizationCodeAuth(rotatingProfile, options())
    await expect(a.exchangeCode({ code: 'c', state: state as string, expectedState: expectedState as string, redirectUri: REDIRECT, account: 'shop-1' })).rejects.toMatchObject({
      code: 'state_mismatch',
    })
    expect(server.received).toEqual([])
  })

  test('an account name that is not one says what it must be', () => {
    expect(() => createAuthorizationCodeAuth(rotatingProfile, options()).forAccount('')).toThrow(/account must be a non-empty string naming the connected customer account/)
  })

  test('inspected, it shows what the client-credentials provider of the same options shows', () => {
    const o = options()
    expect(inspect(createAuthorizationCodeAuth(rotatingProfile, o))).toBe(inspect(createCarrierAuth(rotatingProfile, o)))
  })
})
