import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createAuthorizationCodeAuth, createManualClock, MemoryStore, type ManualClock, type TokenStore } from '../src/index.js'
import { recordEvents } from './support/events.js'
import { SECRET } from './support/test-profile.js'
import { ROTATING_CREDENTIALS, rotatingProfile, startRotatingServer, type RotatingServer } from './support/rotating-server.js'

const HOUR = 3_600_000
const REDIRECT = 'https://shop.example/callback'

describe('the authorization-code grant', () => {
  const f = {} as { server: RotatingServer; clock: ManualClock; store: MemoryStore; ev: ReturnType<typeof recordEvents> }
  beforeEach(async () => {
    f.server = await startRotatingServer()
    f.clock = createManualClock()
    f.store = new MemoryStore({ clock: f.clock })
    f.ev = recordEvents()
  })
  afterEach(() => f.server.close())

  const auth = (extra: { scope?: string; store?: TokenStore } = {}) =>
    createAuthorizationCodeAuth(rotatingProfile, {
      ...ROTATING_CREDENTIALS,
      baseUrl: f.server.url,
      clock: f.clock,
      store: f.store,
      onEvent: f.ev.onEvent,
      retry: { random: () => 0.5 },
      ...extra,
    })
  const connect = async (a: ReturnType<typeof auth>, account = 'shop-1', scope?: string) => {
    const { state } = a.authorizeUrl({ redirectUri: REDIRECT })
    return a.exchangeCode({ code: 'code-1', state, expectedState: state, redirectUri: REDIRECT, account, ...(scope === undefined ? {} : { scope }) })
  }

  describe('authorizeUrl', () => {
    test("names scope, state, response_type, client_id and redirect_uri, in the carrier's order", () => {
      const { url, state, scope } = auth({ scope: 'orders labels' }).authorizeUrl({ redirectUri: REDIRECT, state: 'my-state' })
      const u = new URL(url)
      expect(`${u.origin}${u.pathname}`).toBe(`${f.server.url}/authorize`)
      expect([...u.searchParams]).toEqual([
        ['scope', 'orders labels'],
        ['state', 'my-state'],
        ['response_type', 'code'],
        ['client_id', 'client-1'],
        ['redirect_uri', REDIRECT],
      ])
      expect({ state, scope }).toEqual({ state: 'my-state', scope: 'orders labels' })
    })

    test('a scope asked for replaces the configured one; without either it is empty', () => {
      expect(auth({ scope: 'orders' }).authorizeUrl({ redirectUri: REDIRECT, scope: 'labels' }).scope).toBe('labels')
      const { url, scope } = auth().authorizeUrl({ redirectUri: REDIRECT })
      expect(scope).toBe('')
      expect(new URL(url).searchParams.get('scope')).toBe('')
    })

    test('without a state of its own, a fresh random one each time, and it is the one in the URL', () => {
      const a = auth()
      const one = a.authorizeUrl({ redirectUri: REDIRECT })
      const two = a.authorizeUrl({ redirectUri: REDIRECT })
      expect(one.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(one.state).not.toBe(two.state)
      expect(new URL(one.url).searchParams.get('state')).toBe(one.state)
    })
  })

  describe('exchangeCode', () => {
    test.each([
      ['a different state', 'state-b', 'state-a'],
      ['an empty expected state (the session lost it)', '', ''],
    ])('refuses %s, and sends nothing', async (_name, state, expectedState) => {
      const a = auth()
      await expect(a.exchangeCode({ code: 'code-1', state, expectedState, redirectUri: REDIRECT, account: 'shop-1' })).rejects.toMatchObject({ code: 'state_mismatch' })
      expect(f.server.received).toEqual([])
    })

    test('refuses a state that is not a string', async () => {
      const a = auth()
      await expect(a.exchangeCode({ code: 'code-1', state: undefined as never, expectedState: 'x', redirectUri: REDIRECT, account: 'shop-1' })).rejects.toMatchObject({
        code: 'state_mismatch',
      })
      await expect(a.exchangeCode({ code: 'code-1', state: 'x', expectedState: 7 as never, redirectUri: REDIRECT, account: 'shop-1' })).rejects.toMatchObject({
        code: 'state_mismatch',
      })
      expect(f.server.received).toEqual([])
    })

    test('sends the code, the redirect URI and the configured scope, and the pair serves the account without another request', async () => {
      const a = auth({ scope: 'orders' })
      const token = await connect(a)
      expect(f.server.received).toEqual([{ grant_type: 'authorization_code', code: 'code-1', redirect_uri: REDIRECT, scope: 'orders' }])
      expect(token).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', scope: 'orders' })
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-1')
      expect(f.server.received).toHaveLength(1)
    })

    test('an answer without a refresh token is invalid_response, and nothing is stored', async () => {
      await f.server.close()
      f.server = await startRotatingServer({ withRefreshToken: false })
      const a = auth()
      await expect(connect(a)).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('no refresh token') })
      expect(f.store.size.tokens).toBe(0)
    })

    test("the carrier's scope in the answer is kept as it is", async () => {
      await f.server.close()
      f.server = await startRotatingServer({ scope: 'orders:read' })
      expect((await connect(auth({ scope: 'orders' }))).scope).toBe('orders:read')
    })
  })

  describe('forAccount', () => {
    test('the same account is one provider; another account is another', () => {
      const a = auth()
      expect(a.forAccount('shop-1')).toBe(a.forAccount('shop-1'))
      expect(a.forAccount('shop-2')).not.toBe(a.forAccount('shop-1'))
    })

    test('each connected account keeps its own pair', async () => {
      const a = auth()
      await connect(a, 'shop-1')
      await connect(a, 'shop-2')
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-1')
      expect((await a.forAccount('shop-2').getToken()).accessToken).toBe('at-2')
      expect((await auth().forAccount('shop-1').getToken()).accessToken).toBe('at-1')
    })

    test('an empty or missing account name is invalid_config', () => {
      const a = auth()
      expect(() => a.forAccount('')).toThrow(expect.objectContaining({ code: 'invalid_config' }))
      expect(() => a.forAccount(undefined as never)).toThrow(expect.objectContaining({ code: 'invalid_config' }))
    })

    test('an account never connected has no token to give, and sends nothing', async () => {
      await expect(auth().forAccount('never').getToken()).rejects.toMatchObject({ code: 'invalid_grant', message: expect.stringContaining('connect it first') })
      expect(f.server.received).toEqual([])
    })
  })

  describe('rotation', () => {
    test('an expired access token is refreshed with the stored refresh token and the authorized scope, once', async () => {
      const a = auth({ scope: 'orders' })
      await connect(a, 'shop-1', 'orders:read')
      f.clock.advance(HOUR)
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      expect(f.server.received.at(-1)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1', scope: 'orders:read' })
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      expect(f.server.refreshesSent).toEqual(['rt-1'])
    })

    test('each refresh sends the refresh token the one before it brought', async () => {
      const a = auth()
      await connect(a)
      for (const want of ['at-2', 'at-3', 'at-4']) {
        f.clock.advance(HOUR)
        expect((await a.forAccount('shop-1').getToken()).accessToken).toBe(want)
      }
      expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2', 'rt-3'])
    })

    test('another client on the same store uses the rotated pair, and never sends a spent refresh token', async () => {
      const one = auth()
      const two = auth()
      await connect(one)
      f.clock.advance(HOUR)
      expect((await one.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      expect((await two.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      f.clock.advance(HOUR)
      expect((await two.forAccount('shop-1').getToken()).accessToken).toBe('at-3')
      expect((await one.forAccount('shop-1').getToken()).accessToken).toBe('at-3')
      expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-2'])
    })

    test('a refused refresh token is invalid_grant (refused), reported, and never sent again', async () => {
      const a = auth()
      await connect(a)
      f.server.revoke()
      f.clock.advance(HOUR)
      await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'invalid_grant', message: expect.stringContaining('refused the refresh token') })
      expect(f.ev.of('refresh_token_rejected')).toMatchObject([{ why: 'refused', status: 400 }])
      f.clock.advance(HOUR)
      await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
      expect(f.server.refreshesSent).toEqual(['rt-1'])
    })

    test('a refresh whose answer was lost is not sent again, by this client or another on the store', async () => {
      const a = auth()
      await connect(a)
      f.server.next({ dropAfterRotating: true })
      f.clock.advance(HOUR)
      await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'invalid_grant', message: expect.stringContaining('lost in transit (the connection dropped)') })
      expect(f.ev.of('refresh_token_rejected')).toMatchObject([{ why: 'lost_answer' }])
      expect(f.ev.of('retry_scheduled')).toEqual([])
      await expect(auth().forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
      expect(f.server.refreshesSent).toEqual(['rt-1'])
    })

    test('a refresh answered with a 5xx is retried with the same refresh token (the carrier did not spend it)', async () => {
      const a = auth()
      await connect(a)
      f.server.next({ status: 503 })
      f.clock.advance(HOUR)
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      expect(f.server.refreshesSent).toEqual(['rt-1', 'rt-1'])
    })

    test('invalidate drops the access token and keeps the pair: the next call refreshes', async () => {
      const a = auth()
      const first = await connect(a)
      await a.forAccount('shop-1').invalidate(first)
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      expect(f.server.refreshesSent).toEqual(['rt-1'])
    })

    test('invalidating a token that is no longer the stored one keeps the newer pair', async () => {
      const a = auth()
      const first = await connect(a)
      f.clock.advance(HOUR)
      await a.forAccount('shop-1').getToken()
      await a.forAccount('shop-1').invalidate(first)
      expect((await auth().forAccount('shop-1').getToken()).accessToken).toBe('at-2')
      expect(f.server.refreshesSent).toEqual(['rt-1'])
    })

    test('a client connecting again after a refused pair is used at once by every client', async () => {
      const a = auth()
      await connect(a)
      f.server.revoke()
      f.clock.advance(HOUR)
      await expect(a.forAccount('shop-1').getToken()).rejects.toMatchObject({ code: 'invalid_grant' })
      await connect(auth())
      expect((await a.forAccount('shop-1').getToken()).accessToken).toBe('at-2')
    })
  })

  describe('construction', () => {
    test('a carrier without an authorization endpoint is refused', () => {
      const { authorizePath: _, ...noAuthorize } = rotatingProfile
      expect(() => createAuthorizationCodeAuth(noAuthorize, { ...ROTATING_CREDENTIALS, baseUrl: f.server.url })).toThrow(/has no authorization-code grant/)
    })

    test('a store without a lock is refused: a single-use refresh token is only sent under it', () => {
      const { lock: _, ...unlocked } = Object.fromEntries(
        ['get', 'set', 'compareAndSet', 'delete', 'getMarker', 'setMarker', 'lock'].map((k) => [k, (f.store as unknown as Record<string, (...a: unknown[]) => unknown>)[k]!.bind(f.store)]),
      )
      expect(() => auth({ store: unlocked as unknown as TokenStore })).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('need a store with a lock') }))
    })

    test('logged or serialised, it shows the carrier and base URL only', () => {
      const a = auth()
      expect(JSON.parse(JSON.stringify(a))).toEqual({ carrier: 'rotatingcarrier', baseUrl: f.server.url })
      expect(inspect(a)).toContain('rotatingcarrier')
      expect(inspect(a)).not.toContain(SECRET)
    })
  })
})
