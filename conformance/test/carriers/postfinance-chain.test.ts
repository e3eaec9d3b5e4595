import { createManualClock, MemoryStore, type TokenStore } from '@carrier-auth/core'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'

const REDIRECT = 'http://127.0.0.1:8765/callback'
const ACCOUNT = 'shop-42'

/** The same store, with its lock unreachable (a Redis outage, a lock that timed out). */
function withoutLock(inner: MemoryStore): TokenStore {
  return {
    get: (k) => inner.get(k),
    set: (k, t, ttl) => inner.set(k, t, ttl),
    compareAndSet: (k, v, t, ttl) => inner.compareAndSet(k, v, t, ttl),
    delete: (k, only) => inner.delete(k, only),
    lock: async () => {
      throw new Error('the store is unreachable')
    },
    getMarker: (k) => inner.getMarker(k),
    setMarker: (k, v, ttl) => inner.setMarker(k, v, ttl),
  }
}

describe('a PostFinance refresh-token chain is never lost and never replayed', () => {
  let emulator: Emulator<'postfinance'>
  let clock: ReturnType<typeof createManualClock>
  let store: RecordingStore
  beforeEach(async () => {
    clock = createManualClock(Date.now())
    emulator = await startEmulator('postfinance', { clock })
    store = new RecordingStore({ clock })
  })
  afterEach(() => emulator.close())

  /** A process: its own provider over the shared store. */
  const processWith = (options: { store?: TokenStore; scope?: string; timeoutMs?: number } = {}) =>
    createPostFinanceAuth({ ...emulator.credentials, baseUrl: emulator.url, clock, store, ...options })

  async function connect(a = processWith(), scope?: string) {
    const asked = a.authorizeUrl({ redirectUri: REDIRECT, ...(scope ? { scope } : {}) })
    const location = new URL((await fetch(asked.url, { redirect: 'manual' })).headers.get('location')!)
    return a.exchangeCode({
      code: location.searchParams.get('code')!,
      state: location.searchParams.get('state')!,
      expectedState: asked.state,
      redirectUri: REDIRECT,
      account: ACCOUNT,
      scope: asked.scope,
    })
  }

  test('invalidate keeps the refresh token: a cold process refreshes with it', async () => {
    const pair = await connect()
    await processWith().forAccount(ACCOUNT).invalidate(pair)
    const fresh = await processWith().forAccount(ACCOUNT).getToken()
    expect(fresh.accessToken).not.toBe(pair.accessToken)
    expect(emulator.stats.refreshTokenUses).toBe(1)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('a forced refresh keeps the chain across a cold restart', async () => {
    await connect()
    await processWith().forAccount(ACCOUNT).getToken({ forceRefresh: true })
    clock.advance(13 * 3_600_000)
    await expect(processWith().forAccount(ACCOUNT).getToken()).resolves.toBeDefined()
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('a 401 on a streamed upload keeps the chain for a cold process', async () => {
    await connect()
    emulator.revokeAccessTokens()
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('upload'))
        c.close()
      },
    })
    const response = await processWith().forAccount(ACCOUNT).fetch(emulator.resourceUrl, { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(401)
    await expect(processWith().forAccount(ACCOUNT).getToken()).resolves.toBeDefined()
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('a narrower authorized scope: the exchange and every refresh send the scope the customer granted', async () => {
    const a = processWith({ scope: 'contacts invoices' })
    const pair = await connect(a, 'contacts')
    expect(pair.scope).toBe('contacts')
    clock.set(pair.expiresAt)
    const fresh = await processWith().forAccount(ACCOUNT).getToken()
    expect(fresh.scope).toBe('contacts')
    expect(emulator.stats.refreshTokenUses).toBe(1)
  })

  test('a refresh answer held past the timeout is awaited and stored, never replayed', async () => {
    const pair = await connect()
    clock.set(pair.expiresAt)
    emulator.inject({ type: 'slow', delayMs: 1500 })
    const fresh = await processWith({ timeoutMs: 200 }).forAccount(ACCOUNT).getToken()
    // One exchange and one refresh: the held refresh was never sent again.
    expect(emulator.stats.tokenRequests).toBe(2)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
    const [key] = await storedKeys(store)
    expect((await store.get(key!))?.token.refreshToken).toBe(fresh.refreshToken)
  })

  test('with the store lock unreachable no refresh is sent: store_unavailable, and the chain survives the outage', async () => {
    const pair = await connect()
    clock.set(pair.expiresAt)
    await expect(processWith({ store: withoutLock(store) }).forAccount(ACCOUNT).getToken()).rejects.toMatchObject({ code: 'store_unavailable' })
    expect(emulator.stats.refreshTokenUses).toBe(0)
    await expect(processWith().forAccount(ACCOUNT).getToken()).resolves.toBeDefined()
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('a store that comes back empty: a pair in memory is never sent, except the one whose write never landed, which is written back first', async () => {
    const swappable = new SwappableStore(store)
    const [rotator, reader] = [processWith({ store: swappable }).forAccount(ACCOUNT), processWith({ store: swappable }).forAccount(ACCOUNT)]
    const pair = await connect()
    clock.set(pair.expiresAt)
    const rotated = await rotator.getToken()
    expect((await reader.getToken()).accessToken).toBe(rotated.accessToken)
    // One more rotation while the store takes no writes, then it comes back with nothing (a Redis
    // without persistence restarted): the reader's pair is spent, the rotator's lives in its memory.
    clock.set(rotated.expiresAt)
    swappable.inner = withoutWrites(store)
    const newest = await rotator.getToken()
    swappable.inner = new MemoryStore({ clock })
    clock.set(newest.expiresAt - 1)
    await expect(reader.getToken()).rejects.toMatchObject({ code: 'store_unavailable' })
    expect(emulator.stats.refreshTokenReplays).toBe(0)
    clock.set(newest.expiresAt)
    // The rotator writes its unstored pair back before anything else, and refreshes with it.
    const next = await rotator.getToken()
    expect((await reader.getToken()).accessToken).toBe(next.accessToken)
    expect(emulator.stats.refreshTokenUses).toBe(3)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('a still valid access token is served while the store lock is unreachable', async () => {
    await connect()
    await expect(processWith({ store: withoutLock(store) }).forAccount(ACCOUNT).getToken()).resolves.toBeDefined()
  })

  test('after a refresh token is refused, repeated calls do not resend it', async () => {
    const pair = await connect()
    const stale = new MemoryStore({ clock })
    for (const key of await storedKeys(store)) {
      const entry = await store.get(key)
      await stale.set(key, entry!.token, 400 * 24 * 3_600_000)
    }
    clock.set(pair.expiresAt)
    await processWith().forAccount(ACCOUNT).getToken()
    const behind = processWith({ store: stale }).forAccount(ACCOUNT)
    await expect(behind.getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
    const uses = emulator.stats.refreshTokenUses
    for (let i = 0; i < 10; i++) await expect(behind.getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
    expect(emulator.stats.refreshTokenUses).toBe(uses)
    expect(emulator.stats.refreshTokenReplays).toBe(1)
  })
})

/** The same store, taking no writes (a blinking Redis). */
function withoutWrites(inner: MemoryStore): TokenStore {
  const refuse = () => Promise.reject(new Error('the store is unreachable'))
  return { ...withoutLock(inner), lock: (k, ttl, signal) => inner.lock(k, ttl, signal), set: refuse, compareAndSet: refuse, setMarker: refuse }
}

/** A store whose backend can be replaced under its users (a server restarted empty). */
class SwappableStore implements TokenStore {
  constructor(public inner: TokenStore) {}
  get: TokenStore['get'] = (k) => this.inner.get(k)
  set: TokenStore['set'] = (k, t, ttl) => this.inner.set(k, t, ttl)
  compareAndSet: TokenStore['compareAndSet'] = (k, v, t, ttl) => this.inner.compareAndSet(k, v, t, ttl)
  delete: TokenStore['delete'] = (k, only) => this.inner.delete(k, only)
  lock: NonNullable<TokenStore['lock']> = (k, ttl, signal) => this.inner.lock!(k, ttl, signal)
  getMarker: TokenStore['getMarker'] = (k) => this.inner.getMarker(k)
  setMarker: TokenStore['setMarker'] = (k, v, ttl) => this.inner.setMarker(k, v, ttl)
}

/** A MemoryStore that remembers which keys were written (MemoryStore itself lists none). */
class RecordingStore extends MemoryStore {
  readonly keys = new Set<string>()
  override async set(...args: Parameters<MemoryStore['set']>) {
    this.keys.add(args[0])
    return super.set(...args)
  }
}

async function storedKeys(store: RecordingStore): Promise<string[]> {
  const live: string[] = []
  for (const key of store.keys) if (await store.get(key)) live.push(key)
  return live
}
