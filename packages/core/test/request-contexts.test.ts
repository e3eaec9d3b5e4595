import { afterEach, describe, expect, test, vi } from 'vitest'
import { CarrierAuthError, MemoryStore } from '../src/index.js'
import { FileStore } from '../src/node/file-store.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

/**
 * Runtimes with per-request contexts (Cloudflare Workers) cancel what a finished request left
 * running: its fetch never answers and its promises never settle. These tests pin how the cache
 * keeps every promise inside a context that sees it through.
 */

/** Past refresh-ahead (10 min window, 60 min token), before expiry. */
const INTO_THE_WINDOW_MS = 51 * 60_000

/**
 * The first token request goes out to the real server, but its answer reaches no one: what a
 * Worker's fetch does once the request that started it has been torn down. Later requests are plain.
 */
/**
 * A fetch whose first call's context is torn down: the request still goes out to the real server,
 * but its caller never hears back. `firstAnswered` settles when the server has answered it, so a
 * test can count it without racing it.
 */
function fetchWhoseFirstContextEnds(): { fetch: typeof globalThis.fetch; firstAnswered: Promise<unknown> } {
  let calls = 0
  let answered!: (value: unknown) => void
  const firstAnswered = new Promise((resolve) => (answered = resolve))
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (++calls > 1) return globalThis.fetch(input, init)
    // Sent without the caller's signal: the caller's timeout must not stop it reaching the server.
    globalThis.fetch(input, { ...init, signal: null }).then(answered, answered)
    return new Promise<Response>(() => {})
  }
  return { fetch, firstAnswered }
}

describe('refresh-ahead through backgroundTasks (waitUntil)', () => {
  const f = useFixture()
  afterEach(() => vi.unstubAllGlobals())

  test('the refresh-ahead is handed to backgroundTasks and the caller is served the current token', async () => {
    const tasks: Promise<unknown>[] = []
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, refreshAheadMs: 10 * 60_000, backgroundTasks: (p) => tasks.push(p) })
    await auth.getToken()
    f.clock.advance(INTO_THE_WINDOW_MS)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
    expect(tasks).toHaveLength(1)
    await tasks[0]
    expect(f.server.tokenRequests).toBe(2)
    expect((await auth.getToken()).accessToken).toBe('tok-2')
  })

  test('on Workers, a given backgroundTasks still runs the refresh in the background', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    const tasks: Promise<unknown>[] = []
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, refreshAheadMs: 10 * 60_000, backgroundTasks: (p) => tasks.push(p) })
    await auth.getToken()
    f.clock.advance(INTO_THE_WINDOW_MS)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
    await tasks[0]
    expect((await auth.getToken()).accessToken).toBe('tok-2')
  })

  test('a backgroundTasks that throws (no request active) makes the caller wait for the refresh', async () => {
    const auth = createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      refreshAheadMs: 10 * 60_000,
      backgroundTasks: () => {
        throw new Error('waitUntil called outside a request')
      },
    })
    await auth.getToken()
    f.clock.advance(INTO_THE_WINDOW_MS)
    expect((await auth.getToken()).accessToken).toBe('tok-2')
  })

  test('a backgroundTasks that is not a function is refused at construction', () => {
    const build = () => createTestAuth({ baseUrl: f.server.url, backgroundTasks: 'waitUntil' as never })
    expect(build).toThrow(CarrierAuthError)
    expect(build).toThrow(/backgroundTasks must be a function/)
  })
})

describe('refresh-ahead on Workers without backgroundTasks', () => {
  const f = useFixture()
  afterEach(() => vi.unstubAllGlobals())

  test('the call that starts a refresh-ahead waits for it and gets the new token', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, refreshAheadMs: 10 * 60_000 })
    await auth.getToken()
    f.clock.advance(INTO_THE_WINDOW_MS)
    expect((await auth.getToken()).accessToken).toBe('tok-2')
    expect(f.server.tokenRequests).toBe(2)
  })

  test('a failed foreground refresh-ahead still serves the current token and is an event', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    const failures: unknown[] = []
    const auth = createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      refreshAheadMs: 10 * 60_000,
      retry: { maxAttempts: 1 },
      onEvent: (e) => e.type === 'token_refresh_failed' && failures.push(e.error.code),
    })
    await auth.getToken()
    f.server.queue({ status: 503 })
    f.clock.advance(INTO_THE_WINDOW_MS)
    expect((await auth.getToken()).accessToken).toBe('tok-1')
    expect(failures).toEqual(['server_error'])
  })
})

describe('a shared acquisition whose context ended', () => {
  const f = useFixture()

  test('a caller joining an acquisition that can never settle starts its own once one acquisition may have lasted', { timeout: 10_000 }, async () => {
    // A live acquisition takes at most a lock wait and a lease, 2 × (deadline + timeout): 600 ms here
    // (real time: the bound is a real timer).
    const torn = fetchWhoseFirstContextEnds()
    const auth = createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      timeoutMs: 100,
      retry: { maxAttempts: 1, deadlineMs: 200 },
      fetch: torn.fetch,
    })
    void auth.getToken() // the request whose context is torn down
    // Under load the torn-down request may reach the server after the second one: which of the
    // two numbers the caller gets is the server's order, not the cache's behaviour.
    const own = (await auth.getToken()).accessToken
    expect(['tok-1', 'tok-2']).toContain(own)
    await torn.firstAnswered // counted only once it has surely arrived (it raced the count under load)
    expect(f.server.tokenRequests).toBe(2)
    expect((await auth.getToken()).accessToken).toBe(own)
  })

  test('a MemoryStore lock whose holder never releases is taken once the holder’s lease has ended', { timeout: 10_000 }, async () => {
    const store = new MemoryStore()
    await store.lock('k', 50) // held by a context that is gone: never released
    const next = await store.lock('k', 50)
    await next.release()
    const third = await store.lock('k', 50)
    expect(await third.extend(50)).toBe(true)
  })
})

describe('what Workers cannot do is refused when it is built', () => {
  afterEach(() => vi.unstubAllGlobals())

  test('on Workers, a FileStore is refused at construction, saying why', () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    const build = () => new FileStore({ path: '/tmp/carrier-auth-tokens.json' })
    expect(build).toThrow(CarrierAuthError)
    expect(build).toThrow(/FileStore cannot run on Cloudflare Workers: its node:fs is an in-memory file system/)
  })
})
