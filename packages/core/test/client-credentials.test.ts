import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type ClientAuthentication, clientCredentials, createCarrierAuth, createManualClock } from '../src/index.js'
import { startTokenServer, type TokenServer } from './support/token-server.js'

interface MerchantCredentials {
  clientId: string
  clientSecret: string
  /** Optional: sent as `x-merchant-id` when given, and never otherwise. */
  merchantId?: string
}

const profileSending = (send: ClientAuthentication) =>
  clientCredentials<{ '/token': {} }, MerchantCredentials, 'test'>({
    carrier: 'merchant',
    displayName: 'Merchant',
    environments: { test: null },
    path: '/token',
    id: 'clientId',
    secret: 'clientSecret',
    send,
    optionalCredentials: ['merchantId'],
    headers: (c) => ({ 'x-merchant-id': c.merchantId }),
    policy: { defaultLifetimeMs: 3_600_000, refreshAheadMs: 60_000, credentialsCooldownMs: 60_000 },
  })

let server: TokenServer
beforeEach(async () => {
  server = await startTokenServer({ expiresIn: 3600 })
})
afterEach(() => server.close())

const tokenFor = (send: ClientAuthentication, extra: Partial<MerchantCredentials> = {}) =>
  createCarrierAuth(profileSending(send), { clientId: 'id-1', clientSecret: 'secret-1', ...extra, baseUrl: server.url, clock: createManualClock() }).getToken()

describe('clientCredentials: one profile for the common token requests', () => {
  test('basic: the client in an HTTP Basic header, the grant in a form body', async () => {
    await tokenFor('basic')
    const [request] = server.received
    expect(request?.headers.authorization).toBe(`Basic ${btoa('id-1:secret-1')}`)
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(request?.body).toBe('grant_type=client_credentials')
  })

  test('form: the client as form fields, no Authorization header', async () => {
    await tokenFor('form')
    const [request] = server.received
    expect(request?.headers.authorization).toBeUndefined()
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ grant_type: 'client_credentials', client_id: 'id-1', client_secret: 'secret-1' })
  })

  test('json: the client and the grant in one JSON body', async () => {
    await tokenFor('json')
    const [request] = server.received
    expect(request?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request?.body ?? '')).toEqual({ grant_type: 'client_credentials', client_id: 'id-1', client_secret: 'secret-1' })
  })

  test('an optional credential given reaches the wire as its header', async () => {
    await tokenFor('basic', { merchantId: 'm-42' })
    expect(server.received[0]?.headers['x-merchant-id']).toBe('m-42')
  })

  test('an optional credential left out sends no header at all', async () => {
    await tokenFor('basic')
    expect(server.received[0]?.headers).not.toHaveProperty('x-merchant-id')
  })
})
