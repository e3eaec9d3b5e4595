import { inspect } from 'node:util'
import { createManualClock, MemoryStore, type StoreEntry, type TokenStore } from '@carrier-auth/core'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'

const REDIRECT = 'http://127.0.0.1:8765/callback'

/** The same store with some methods replaced (MemoryStore's private fields need its own `this`). */
function wrapStore(inner: TokenStore, overrides: Partial<TokenStore>): TokenStore {
  return {
    get: (k) => inner.get(k),
    set: (k, t, ttl) => inner.set(k, t, ttl),
    compareAndSet: (k, v, t, ttl) => inner.compareAndSet(k, v, t, ttl),
    delete: (k, only) => inner.delete(k, only),
    lock: (k, ttl, signal) => inner.lock!(k, ttl, signal),
    getMarker: (k) => inner.getMarker(k),
    setMarker: (k, v, ttl) => inner.setMarker(k, v, ttl),
    ...overrides,
  }
}

describe('PostFinance authorization code and rotating refresh tokens', () => {
  let emulator: Emulator<'postfinance'>
  let clock: ReturnType<typeof createManualClock>
  let store: MemoryStore
  beforeEach(async () => {
    clock = createManualClock(Date.now())
    emulator = await startEmulator('postfinance', { clock })
    store = new MemoryStore({ clock })
  })
  afterEach(() => emulator.close())

  const auth = (options: { store?: TokenStore } = {}) => createPostFinanceAuth({ ...emulator.credentials, baseUrl: emulator.url, clock, store, ...options })

  async function connect(a = auth(), account = 'shop-42') {
    const { url, state } = a.authorizeUrl({ redirectUri: REDIRECT })
    const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!)
    return a.exchangeCode({ code: location.searchParams.get('code')!, state: location.searchParams.get('state')!, expectedState: state, redirectUri: REDIRECT, account })
  }

  test('authorizeUrl lists the parameters the doc lists, with a random state', () => {
    const { url, state } = auth().authorizeUrl({ redirectUri: REDIRECT, scope: 'contacts invoices' })
    const u = new URL(url)
    expect(`${u.origin}${u.pathname}`).toBe(`${emulator.url}/auth/authorize`)
    expect([...u.searchParams.keys()]).toEqual(['scope', 'state', 'response_type', 'client_id', 'redirect_uri'])
    expect(u.searchParams.get('response_type')).toBe('code')
    expect(u.searchParams.get('scope')).toBe('contacts invoices')
    expect(u.searchParams.get('state')).toBe(state)
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  test('a state mismatch is refused before any request', async () => {
    const a = auth()
    const { state } = a.authorizeUrl({ redirectUri: REDIRECT })
    await expect(a.exchangeCode({ code: 'x', state: `${state}x`, expectedState: state, redirectUri: REDIRECT, account: 'a' })).rejects.toMatchObject({
      code: 'state_mismatch',
    })
    expect(emulator.stats.tokenRequests).toBe(0)
  })

  test('the code exchange stores the pair; the account gets its token without another request', async () => {
    const a = auth()
    const pair = await connect(a)
    expect(pair.refreshToken).toBeTruthy()
    expect((await a.forAccount('shop-42').getToken()).accessToken).toBe(pair.accessToken)
    expect(emulator.stats.tokenRequests).toBe(1)
  })

  test('after expiry the account refreshes once, and the new pair is stored before it is handed out', async () => {
    const writes: StoreEntry['token'][] = []
    const watched = wrapStore(store, {
      compareAndSet: async (...args: Parameters<TokenStore['compareAndSet']>) => {
        writes.push(args[2])
        return store.compareAndSet(...args)
      },
    })
    const a = auth({ store: watched })
    const pair = await connect(a)
    clock.set(pair.expiresAt)
    const fresh = await a.forAccount('shop-42').getToken()
    expect(writes.map((w) => w.accessToken)).toEqual([fresh.accessToken])
    expect(fresh.refreshToken).not.toBe(pair.refreshToken)
    expect(emulator.stats.refreshTokenUses).toBe(1)
  })

  test('another process sharing the store uses the pair the first one rotated', async () => {
    const pair = await connect()
    clock.set(pair.expiresAt)
    const first = await auth().forAccount('shop-42').getToken()
    const second = await auth().forAccount('shop-42').getToken()
    expect(second.accessToken).toBe(first.accessToken)
    expect(emulator.stats.refreshTokenUses).toBe(1)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('neither the client nor an account provider shows the secret or a token when logged', async () => {
    const a = auth()
    const pair = await connect(a)
    for (const value of [a, a.forAccount('shop-42'), pair]) {
      for (const text of [inspect(value, { depth: 5 }), JSON.stringify(value), String(value)]) {
        expect(text).not.toContain(emulator.credentials.clientSecret)
        expect(text).not.toContain(pair.accessToken)
        expect(text).not.toContain(pair.refreshToken!)
      }
    }
  })

  test('an account that was never connected says so', async () => {
    await expect(auth().forAccount('nobody').getToken()).rejects.toMatchObject({ code: 'invalid_grant', message: expect.stringMatching(/connect it first/) })
  })

  describe('a crash between the answer and the store write', () => {
    /** A store whose rotated write never lands: the process "dies" right after the server answered. */
    const crashing = (): TokenStore =>
      wrapStore(store, {
        compareAndSet: async () => {
          throw new Error('process crashed before the write')
        },
      })

    test('is recoverable while the process lives: it keeps the new pair and uses it next', async () => {
      const pair = await connect()
      clock.set(pair.expiresAt)
      const survivor = auth({ store: crashing() }).forAccount('shop-42')
      const rotated = await survivor.getToken()
      clock.set(rotated.expiresAt)
      await expect(survivor.getToken()).resolves.toBeDefined()
      expect(emulator.stats.refreshTokenReplays).toBe(0)
      expect(emulator.stats.refreshTokenUses).toBe(2)
    })

    test('is not recoverable once the process is gone: the stored refresh token was revoked, the customer must re-authorize', async () => {
      const pair = await connect()
      clock.set(pair.expiresAt)
      await auth({ store: crashing() }).forAccount('shop-42').getToken()
      // A new process starts from the store, which still holds the refresh token the server revoked.
      await expect(auth().forAccount('shop-42').getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
      expect(emulator.stats.refreshTokenReplays).toBe(1)
    })
  })
})
