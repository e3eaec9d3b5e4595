import { describe, expect, test } from 'vitest'
import type { CarrierName } from '../../src/emulators/index.js'
import { factsOf } from '../../src/facts.js'
import { call, FORM, useEmulators } from './support/emulators.js'

const start = useEmulators()

/** RFC 6749 §2.3.1 as a strict client does it: every byte but letters and digits percent-encoded. */
const formEncode = (text: string) => [...new TextEncoder().encode(text)].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')
const standardBasic = (id: string, secret: string) => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`
const rawBasic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

// Ids and secrets that form-encoding changes: a dash becomes %2D, a space %20.
const ID = 'client-id.with-dash'
const SECRET = 'secret-with-dash and space'

const standardCarriers = (['posti', 'packly'] as const).filter((c) => factsOf(c).oauth2Standard)

function tokenRequest(carrier: 'posti' | 'packly' | 'pitney-bowes', url: string, authorization: string) {
  const body = carrier === 'packly' ? 'grant_type=client_credentials&scope=external' : 'grant_type=client_credentials'
  return call(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': FORM, authorization }, body })
}

function credentialsFor(carrier: 'posti' | 'packly' | 'pitney-bowes') {
  if (carrier === 'posti') return { username: ID, password: SECRET }
  if (carrier === 'pitney-bowes') return { apiKey: ID, apiSecret: SECRET }
  return { clientId: ID, clientSecret: SECRET }
}

describe('HTTP Basic credentials, raw and RFC 6749 §2.3.1 form-encoded', () => {
  test('the carriers that claim standard OAuth 2.0 with Basic are Posti and Packly', () => {
    expect(standardCarriers).toEqual(['posti', 'packly'])
  })

  test.each(standardCarriers)('%s: a standard client that form-encodes id and secret (a dash sent as its percent-escape) gets a token', async (carrier) => {
    const emulator = await start(carrier, { credentials: credentialsFor(carrier) as never })
    const res = await tokenRequest(carrier, emulator.tokenUrl, standardBasic(ID, SECRET))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  test.each(standardCarriers)('%s: the raw form the package sends still gets a token', async (carrier) => {
    const emulator = await start(carrier, { credentials: credentialsFor(carrier) as never })
    expect((await tokenRequest(carrier, emulator.tokenUrl, rawBasic(ID, SECRET))).status).toBe(200)
  })

  test.each(standardCarriers)("%s: with basicCredentials: 'raw' the form-encoded form is refused", async (carrier) => {
    const emulator = await start(carrier, { credentials: credentialsFor(carrier) as never, basicCredentials: 'raw' })
    expect((await tokenRequest(carrier, emulator.tokenUrl, standardBasic(ID, SECRET))).status).toBe(401)
  })

  test('pitney-bowes describes its own raw format: the form-encoded form is refused unless the option allows it', async () => {
    const strict = await start('pitney-bowes', { credentials: credentialsFor('pitney-bowes') })
    expect((await tokenRequest('pitney-bowes', strict.tokenUrl, standardBasic(ID, SECRET))).status).toBe(401)
    const lenient = await start('pitney-bowes', { credentials: credentialsFor('pitney-bowes'), basicCredentials: 'raw-or-form-encoded' })
    expect((await tokenRequest('pitney-bowes', lenient.tokenUrl, standardBasic(ID, SECRET))).status).toBe(200)
  })

  test('posti: failed logins of one account add up whether its name arrives raw or form-encoded', async () => {
    const emulator = await start('posti', { credentials: { username: ID } })
    for (let i = 0; i < 5; i++) {
      const authorization = i % 2 === 0 ? rawBasic(ID, 'wrong') : standardBasic(ID, 'wrong')
      expect((await tokenRequest('posti', emulator.tokenUrl, authorization)).status).toBe(401)
    }
    expect(emulator.isLocked()).toBe(true)
  })
})

describe('default credentials', () => {
  test.each(['posti', 'pitney-bowes', 'postfinance', 'packly', 'dhl-ecommerce'] as CarrierName[])('%s: 32 letters and digits, like the docs\' samples', async (carrier) => {
    const emulator = await start(carrier)
    const { scope: _scope, ...credentials } = emulator.credentials as Record<string, string>
    for (const value of Object.values(credentials)) expect(value).toMatch(/^[A-Za-z0-9]{32}$/)
  })
})
