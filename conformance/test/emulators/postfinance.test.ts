import { describe, expect, test } from 'vitest'
import type { Emulator } from '../../src/emulators/index.js'
import { call, manualClock, useEmulators } from './support/emulators.js'

const start = useEmulators()
const REDIRECT = 'http://127.0.0.1:8765/callback'

function tokenRequest(emulator: Emulator<'postfinance'>, fields: Record<string, string>) {
  const { clientId, clientSecret, scope } = emulator.credentials
  return call(emulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, scope, ...fields }),
  })
}

async function authorize(emulator: Emulator<'postfinance'>, redirectUri = REDIRECT) {
  if (!emulator.authorize) throw new Error('postfinance emulators can authorize')
  return emulator.authorize({ redirectUri, state: 'state-42' })
}

const exchange = (emulator: Emulator<'postfinance'>, code: string, redirectUri = REDIRECT) =>
  tokenRequest(emulator, { grant_type: 'authorization_code', redirect_uri: redirectUri, code })

const refresh = (emulator: Emulator<'postfinance'>, refreshToken: string) =>
  tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken })

function authorizeUrl(emulator: Emulator<'postfinance'>, params: Record<string, string>) {
  const url = new URL(`${emulator.url}/auth/authorize`)
  const defaults = { scope: emulator.credentials.scope, response_type: 'code', client_id: emulator.credentials.clientId, redirect_uri: REDIRECT, state: 's' }
  for (const [key, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(key, value)
  return url.href
}

describe('postfinance authorization code', () => {
  test('authorize redirects to the redirect_uri with a code and the state echoed', async () => {
    const emulator = await start('postfinance')
    const res = await fetch(authorizeUrl(emulator, { state: 'xyz' }), { redirect: 'manual' })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT)
    expect(location.searchParams.get('state')).toBe('xyz')
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{28,}$/)
  })

  test('authorize → code → exchange gives an access and refresh token pair', async () => {
    const emulator = await start('postfinance')
    const { code, state } = await authorize(emulator)
    expect(state).toBe('state-42')
    const res = await exchange(emulator, code)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ token_type: 'Bearer', expires_in: 43200, access_token: expect.any(String), refresh_token: expect.any(String) })
    expect(emulator.requestViolations).toEqual([])
  })

  test('refuses a code the second time with invalid_grant', async () => {
    const emulator = await start('postfinance')
    const { code } = await authorize(emulator)
    expect((await exchange(emulator, code)).status).toBe(200)
    const again = await exchange(emulator, code)
    expect(again.status).toBe(400)
    expect(again.json.error).toBe('invalid_grant')
  })

  test('refuses a code sent with another redirect_uri', async () => {
    const emulator = await start('postfinance')
    const { code } = await authorize(emulator)
    const res = await exchange(emulator, code, 'http://127.0.0.1:8765/elsewhere')
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('invalid_grant')
  })

  test('refuses a code after its 10 minutes by the emulator clock', async () => {
    const clock = manualClock()
    const emulator = await start('postfinance', { clock })
    const { code } = await authorize(emulator)
    clock.advance(10 * 60_000)
    expect((await exchange(emulator, code)).json.error).toBe('invalid_grant')
  })

  test.each([
    ['an unknown client_id', { client_id: 'someone-else' }],
    ['a response_type other than code', { response_type: 'token' }],
    ['a redirect_uri on another host', { redirect_uri: 'https://attacker.example/cb' }],
    ['a scope beyond the client scopes', { scope: 'payroll' }],
  ])('authorize refuses %s with a 400 page', async (_name, params) => {
    const emulator = await start('postfinance')
    const res = await fetch(authorizeUrl(emulator, params), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('location')).toBeNull()
  })

  test('authorize accepts only the registered redirect URIs when they are given', async () => {
    const emulator = await start('postfinance', { redirectUris: ['https://shop.example/pf/callback'] })
    await expect(authorize(emulator, REDIRECT)).rejects.toThrow(/400/)
    const { code } = await authorize(emulator, 'https://shop.example/pf/callback')
    expect((await exchange(emulator, code, 'https://shop.example/pf/callback')).status).toBe(200)
  })
})

describe('postfinance refresh tokens', () => {
  test('a refresh rotates the pair, and the used refresh token is refused with invalid_grant', async () => {
    const emulator = await start('postfinance')
    const first = await exchange(emulator, (await authorize(emulator)).code)
    const rotated = await refresh(emulator, first.json.refresh_token as string)
    expect(rotated.status).toBe(200)
    expect(rotated.json.refresh_token).not.toBe(first.json.refresh_token)
    expect(rotated.json.access_token).not.toBe(first.json.access_token)
    const replay = await refresh(emulator, first.json.refresh_token as string)
    expect(replay.status).toBe(400)
    expect(replay.json).toEqual({ error: 'invalid_grant', error_description: expect.any(String) })
    expect(emulator.stats.refreshTokenUses).toBe(2)
    expect(emulator.stats.refreshTokenReplays).toBe(1)
    expect((await refresh(emulator, rotated.json.refresh_token as string)).status).toBe(200)
  })

  test('an unknown refresh token is refused but is not a replay', async () => {
    const emulator = await start('postfinance')
    expect((await refresh(emulator, 'never-issued-token-000000000000')).json.error).toBe('invalid_grant')
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  })

  test('refresh tokens never expire', async () => {
    const clock = manualClock()
    const emulator = await start('postfinance', { clock })
    const pair = await exchange(emulator, (await authorize(emulator)).code)
    clock.advance(365 * 24 * 3_600_000)
    expect((await refresh(emulator, pair.json.refresh_token as string)).status).toBe(200)
  })

  test('client credentials give no refresh token', async () => {
    const emulator = await start('postfinance')
    const res = await tokenRequest(emulator, { grant_type: 'client_credentials' })
    expect(res.json).not.toHaveProperty('refresh_token')
  })
})

describe('postfinance token endpoint', () => {
  test('refuses a form body with 400 invalid_request', async () => {
    const emulator = await start('postfinance')
    const { clientId, clientSecret, scope } = emulator.credentials
    const res = await call(emulator.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }) })
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('invalid_request')
  })

  test('refuses a scope beyond the client scopes with invalid_scope', async () => {
    const emulator = await start('postfinance')
    const res = await tokenRequest(emulator, { grant_type: 'client_credentials', scope: 'contacts payroll' })
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('invalid_scope')
  })

  test('refuses an unknown grant_type with unsupported_grant_type', async () => {
    const emulator = await start('postfinance')
    const res = await tokenRequest(emulator, { grant_type: 'password' })
    expect(res.json.error).toBe('unsupported_grant_type')
  })

  test('records a refresh grant without its refresh_token against the discriminated body schema', async () => {
    const emulator = await start('postfinance')
    await tokenRequest(emulator, { grant_type: 'refresh_token' })
    expect(emulator.requestViolations.join('\n')).toMatch(/must have required property 'refresh_token'/)
  })
})
