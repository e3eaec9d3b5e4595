import { describe, expect, test } from 'vitest'
import { wires } from './support/carriers.js'
import { basic, call, manualClock, useEmulators } from './support/emulators.js'

const start = useEmulators()

describe('pitney-bowes token', () => {
  test('sends expiresIn and issuedAt as strings, issuedAt in ms by the emulator clock', async () => {
    const clock = manualClock(1_456_851_460_568)
    const emulator = await start('pitney-bowes', { clock })
    const res = await call(emulator.tokenUrl, wires['pitney-bowes'].request(emulator, { ...emulator.credentials }))
    expect(res.json.issuedAt).toBe('1456851460568')
    expect(res.json.expiresIn).toBe('35999')
    expect(res.text).toMatch(/"expiresIn":"35999"/)
  })

  test('sends the lifetime of tokenTtlSeconds as a string', async () => {
    const emulator = await start('pitney-bowes', { tokenTtlSeconds: 120 })
    const res = await call(emulator.tokenUrl, wires['pitney-bowes'].request(emulator, { ...emulator.credentials }))
    expect(res.json.expiresIn).toBe('120')
  })

  test('refuses a JSON body with 400 in the Pitney Bowes error shape', async () => {
    const emulator = await start('pitney-bowes')
    const res = await call(emulator.tokenUrl, {
      method: 'POST',
      headers: { authorization: basic(emulator.credentials.apiKey, emulator.credentials.apiSecret), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    })
    expect(res.status).toBe(400)
    expect(res.json).toEqual({ errors: [{ errorCode: 'invalid_request', message: expect.any(String) }] })
  })

  test('refuses another grant_type with 400 unsupported_grant_type', async () => {
    const emulator = await start('pitney-bowes')
    const res = await call(emulator.tokenUrl, wires['pitney-bowes'].request(emulator, { ...emulator.credentials }, { grant_type: 'password' }))
    expect(res.status).toBe(400)
    expect(res.json).toEqual({ errors: [{ errorCode: 'unsupported_grant_type', message: expect.any(String) }] })
  })

  test('refuses a request without Basic credentials with 401 and records the missing security', async () => {
    const emulator = await start('pitney-bowes')
    const res = await call(emulator.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })
    expect(res.status).toBe(401)
    expect(emulator.requestViolations).toEqual([expect.stringMatching(/security requirement/)])
  })
})
