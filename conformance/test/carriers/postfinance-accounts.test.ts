import { createManualClock, MemoryStore, type TokenStore } from '@carrier-auth/core'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'

const REDIRECT = 'http://127.0.0.1:8765/callback'
const ACCOUNT = 'shop-7'
/** forAccount's idle bound (core's DEFAULT_ACCOUNT_IDLE_MS), and a little more. */
const IDLE = 3_600_000 + 1

/** A store whose backend can be replaced under its users. */
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

/** The same store, taking no writes (a blinking Redis). */
function withoutWrites(inner: MemoryStore): TokenStore {
  const refuse = () => Promise.reject(new Error('the store is unreachable'))
  const s = new SwappableStore(inner)
  return Object.assign(s, { set: refuse, compareAndSet: refuse, setMarker: refuse })
}

describe('forAccount is bounded, and never lets go of a pair only it holds', () => {
  let emulator: Emulator<'postfinance'>
  let clock: ReturnType<typeof createManualClock>
  let store: SwappableStore
  beforeEach(async () => {
    clock = createManualClock(Date.now())
    emulator = await startEmulator('postfinance', { clock })
    store = new SwappableStore(new MemoryStore({ clock }))
  })
  afterEach(() => emulator.close())

  const client = () => createPostFinanceAuth({ ...emulator.credentials, baseUrl: emulator.url, clock, store })

  async function connect(auth: ReturnType<typeof client>) {
    const asked = auth.authorizeUrl({ redirectUri: REDIRECT })
    const location = new URL((await fetch(asked.url, { redirect: 'manual' })).headers.get('location')!)
    return auth.exchangeCode({ code: location.searchParams.get('code')!, state: location.searchParams.get('state')!, expectedState: asked.state, redirectUri: REDIRECT, account: ACCOUNT, scope: asked.scope })
  }

  test('an idle account is let go; asked again, it refreshes from the pair in the store', async () => {
    const auth = client()
    const pair = await connect(auth)
    const provider = auth.forAccount(ACCOUNT)
    clock.set(pair.expiresAt + IDLE)
    auth.forAccount('another-shop')
    const again = auth.forAccount(ACCOUNT)
    expect(again).not.toBe(provider)
    await expect(again.getToken()).resolves.toBeDefined()
    expect(emulator.stats.refreshTokenUses).toBe(1)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('an account whose rotated pair the store never got is kept however idle, and let go once its write lands', async () => {
    const auth = client()
    const pair = await connect(auth)
    const rotator = auth.forAccount(ACCOUNT)
    const healthy = store.inner as MemoryStore
    // The carrier rotates the pair while the store takes no writes: the new pair is only in this provider.
    store.inner = withoutWrites(healthy)
    clock.set(pair.expiresAt)
    const rotated = await rotator.getToken()
    clock.set(rotated.expiresAt + IDLE)
    auth.forAccount('another-shop')
    expect(auth.forAccount(ACCOUNT)).toBe(rotator)
    // The store takes writes again: the kept provider refreshes with the pair only it had.
    store.inner = healthy
    const next = await auth.forAccount(ACCOUNT).getToken()
    expect(next.accessToken).not.toBe(rotated.accessToken)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
    expect(emulator.stats.refreshTokenUses).toBe(2)
    // Its pair is in the store now: idle, it is let go like any other.
    clock.set(next.expiresAt + IDLE)
    auth.forAccount('yet-another-shop')
    expect(auth.forAccount(ACCOUNT)).not.toBe(rotator)
    await expect(auth.forAccount(ACCOUNT).getToken()).resolves.toBeDefined()
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })
})
