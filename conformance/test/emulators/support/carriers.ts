import { expect } from 'vitest'
import { type CarrierName, carrierNames, type Emulator } from '../../../src/emulators/index.js'
import { carriers } from '../../../src/carriers.js'
import { factsOf } from '../../../src/facts.js'
import { basic, FORM } from './emulators.js'

type Creds = Record<string, string>

/** How a carrier's token endpoint is called and how it answers, as its doc says. */
export interface CarrierWire {
  /** A token request as the doc shows it, with these credentials. */
  request(emulator: Emulator, creds: Creds, fields?: Record<string, string | undefined>): RequestInit
  /** The credential a wrong-credentials test changes. */
  secretField: string
  successContentType: string
  /** Asserts the documented success body. */
  expectToken(body: Record<string, unknown>, emulator: Emulator, ttlSeconds: number): void
  accessTokenField: string
  lifetimeField: string
  badCredentials: { status: number; contentType: string; body: unknown }
  missingGrantType: { status: number; contentType: string; body: unknown }
  /** A request that breaks the spec, and the violation it must leave. */
  offSpec(emulator: Emulator): { init: RequestInit; violation: RegExp; status: number }
}

/** The credentials as plain strings, whatever the carrier. */
const creds = (emulator: Emulator) => ({ ...emulator.credentials }) as Creds

const oauth = (error: string) => ({ error, error_description: expect.any(String) })

function formRequest(headers: Record<string, string>, fields: Record<string, string | undefined>): RequestInit {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value)
  return { method: 'POST', headers: { 'content-type': FORM, ...headers }, body: body.toString() }
}

/**
 * The documented wire of the five carriers this suite was written against: a regression table for
 * their emulators. A new carrier may add its own; without one, the matrix alone covers it.
 */
const documentedWires: Partial<Record<CarrierName, CarrierWire>> = {
  posti: {
    request: (_e, c, fields = {}) =>
      formRequest({ accept: 'application/json', authorization: basic(c.username!, c.password!) }, { grant_type: 'client_credentials', ...fields }),
    secretField: 'password',
    successContentType: 'application/json',
    expectToken: (body, _e, ttl) => expect(body).toEqual({ token_type: 'bearer', access_token: expect.any(String), expires_in: ttl }),
    accessTokenField: 'access_token',
    lifetimeField: 'expires_in',
    badCredentials: { status: 401, contentType: 'application/json', body: { error: 'unauthorized', error_description: 'Bad credentials' } },
    missingGrantType: { status: 400, contentType: 'application/json', body: { error: 'invalid_request', error_description: 'Missing grant type' } },
    offSpec: (e) => ({
      init: formRequest({ accept: 'text/html', authorization: basic(creds(e).username!, creds(e).password!) }, { grant_type: 'client_credentials' }),
      violation: /header Accept admits none of application\/json/,
      status: 200,
    }),
  },
  'pitney-bowes': {
    request: (_e, c, fields = {}) => formRequest({ authorization: basic(c.apiKey!, c.apiSecret!) }, { grant_type: 'client_credentials', ...fields }),
    secretField: 'apiSecret',
    successContentType: 'application/json',
    expectToken: (body, e, ttl) =>
      expect(body).toEqual({
        access_token: expect.any(String),
        tokenType: 'BearerToken',
        issuedAt: expect.stringMatching(/^\d+$/),
        expiresIn: String(ttl),
        clientID: creds(e).apiKey,
        org: 'pitneybowes',
      }),
    accessTokenField: 'access_token',
    lifetimeField: 'expiresIn',
    badCredentials: { status: 401, contentType: 'application/json', body: { errors: [{ errorCode: 'invalid_client', message: expect.any(String) }] } },
    missingGrantType: { status: 400, contentType: 'application/json', body: { errors: [{ errorCode: 'invalid_request', message: expect.any(String) }] } },
    offSpec: (e) => ({
      init: {
        method: 'POST',
        headers: { authorization: basic(creds(e).apiKey!, creds(e).apiSecret!), 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      },
      violation: /content type application\/json is not one of application\/x-www-form-urlencoded/,
      status: 400,
    }),
  },
  postfinance: {
    request: (_e, c, fields = {}) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret, scope: c.scope, ...fields }),
    }),
    secretField: 'clientSecret',
    successContentType: 'application/json',
    expectToken: (body, _e, ttl) => expect(body).toEqual({ token_type: 'Bearer', expires_in: ttl, access_token: expect.any(String) }),
    accessTokenField: 'access_token',
    lifetimeField: 'expires_in',
    badCredentials: { status: 401, contentType: 'application/json', body: oauth('invalid_client') },
    missingGrantType: { status: 400, contentType: 'application/json', body: oauth('invalid_request') },
    offSpec: (e) => ({
      init: formRequest({}, { grant_type: 'client_credentials', client_id: creds(e).clientId!, client_secret: creds(e).clientSecret!, scope: creds(e).scope! }),
      violation: /content type application\/x-www-form-urlencoded is not one of application\/json/,
      status: 400,
    }),
  },
  packly: {
    request: (_e, c, fields = {}) => formRequest({ authorization: basic(c.clientId!, c.clientSecret!) }, { grant_type: 'client_credentials', scope: 'external', ...fields }),
    secretField: 'clientSecret',
    successContentType: 'application/json; charset=utf-8',
    expectToken: (body, _e, ttl) => expect(body).toEqual({ token_type: 'bearer', access_token: expect.any(String), expires_in: ttl }),
    accessTokenField: 'access_token',
    lifetimeField: 'expires_in',
    badCredentials: { status: 401, contentType: 'application/json; charset=utf-8', body: oauth('invalid_client') },
    missingGrantType: { status: 400, contentType: 'application/json; charset=utf-8', body: oauth('invalid_request') },
    offSpec: (e) => ({
      init: formRequest({ authorization: basic(creds(e).clientId!, creds(e).clientSecret!) }, { grant_type: 'client_credentials' }),
      violation: /request body must have required property 'scope'/,
      status: 400,
    }),
  },
  'dhl-ecommerce': {
    request: (_e, c, fields = {}) => formRequest({}, { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret, ...fields }),
    secretField: 'clientSecret',
    successContentType: 'application/json',
    expectToken: (body, e, ttl) =>
      expect(body).toEqual({ access_token: expect.any(String), client_id: creds(e).clientId, token_type: 'Bearer', expires_in: ttl }),
    accessTokenField: 'access_token',
    lifetimeField: 'expires_in',
    badCredentials: {
      status: 400,
      contentType: 'application/problem+json',
      body: { type: 'https://api-sandbox.dhlecs.com/docs/errors/400.0000005', title: 'Invalid credentials' },
    },
    missingGrantType: {
      status: 400,
      contentType: 'application/problem+json',
      body: { type: 'https://api-sandbox.dhlecs.com/docs/errors/400.0000001', title: 'Invalid request' },
    },
    offSpec: (e) => ({
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: creds(e).clientId!, client_secret: creds(e).clientSecret! }),
      },
      violation: /content type application\/json is not one of application\/x-www-form-urlencoded/,
      status: 400,
    }),
  },
}

/** The carriers with a documented wire above, and their wires. */
export const wiredCarriers = carrierNames.filter((carrier) => documentedWires[carrier] !== undefined)
export const wires = documentedWires as Record<CarrierName, CarrierWire>

/** The lifetime the carrier's tokens carry, as its spec documents it. */
export const documentedTtl = (carrier: CarrierName) => factsOf(carrier).accessTokenLifetimeSeconds

/** The credentials with the secret changed. */
export function wrongCredentials(emulator: Emulator): Creds {
  const creds: Creds = { ...emulator.credentials }
  const field = carriers.find((c) => c.name === emulator.carrier)!.secretField
  return { ...creds, [field]: `wrong-${creds[field] ?? ''}` }
}

/** Asks for a token the documented way and returns it (through the carrier's package where no wire is written down). */
export async function fetchToken(emulator: Emulator): Promise<string> {
  const wire = documentedWires[emulator.carrier]
  if (!wire) {
    const carrier = carriers.find((c) => c.name === emulator.carrier)!
    return (await carrier.create({ ...emulator.credentials } as Creds, { baseUrl: emulator.url }).getToken()).accessToken
  }
  const response = await fetch(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
  const body = (await response.json()) as Record<string, unknown>
  const token = body[wire.accessTokenField]
  if (response.status !== 200 || typeof token !== 'string') throw new Error(`no token: ${response.status}`)
  return token
}
