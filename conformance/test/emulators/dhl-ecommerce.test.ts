import { describe, expect, test } from 'vitest'
import { wires, wrongCredentials } from './support/carriers.js'
import { basic, call, useEmulators } from './support/emulators.js'

const start = useEmulators()
const INVALID_CREDENTIALS = { type: 'https://api-sandbox.dhlecs.com/docs/errors/400.0000005', title: 'Invalid credentials' }

describe('dhl-ecommerce token', () => {
  test('answers wrong credentials with 400 application/problem+json, exactly the doc sample', async () => {
    const emulator = await start('dhl-ecommerce')
    const res = await call(emulator.tokenUrl, wires['dhl-ecommerce'].request(emulator, wrongCredentials(emulator)))
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.text).toBe(JSON.stringify(INVALID_CREDENTIALS))
  })

  test('refuses a JSON body with 400 problem+json Invalid request', async () => {
    const emulator = await start('dhl-ecommerce')
    const res = await call(emulator.tokenUrl, wires['dhl-ecommerce'].offSpec(emulator).init)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.json.title).toBe('Invalid request')
    expect(emulator.stats.failedLogins).toBe(0)
  })

  test('does not take the credentials from a Basic header: they must be form fields', async () => {
    const emulator = await start('dhl-ecommerce')
    const res = await call(emulator.tokenUrl, {
      method: 'POST',
      headers: { authorization: basic(emulator.credentials.clientId, emulator.credentials.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
    expect(res.status).toBe(400)
    expect(res.json.title).toBe('Invalid request')
  })

  test('sends client_id and token_type Bearer with the token', async () => {
    const emulator = await start('dhl-ecommerce')
    const res = await call(emulator.tokenUrl, wires['dhl-ecommerce'].request(emulator, { ...emulator.credentials }))
    expect(res.json).toMatchObject({ client_id: emulator.credentials.clientId, token_type: 'Bearer', expires_in: 3600 })
  })
})
