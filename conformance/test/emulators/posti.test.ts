import { request } from 'node:http'
import { describe, expect, test } from 'vitest'
import type { Emulator } from '../../src/emulators/index.js'
import { fetchToken, wires } from './support/carriers.js'
import { basic, call, manualClock, useEmulators } from './support/emulators.js'

const start = useEmulators()
const HOUR = 3_600_000

function login(emulator: Emulator<'posti'>, password = emulator.credentials.password, username = emulator.credentials.username) {
  return call(emulator.tokenUrl, wires.posti.request(emulator, { username, password }))
}

describe('posti grant_type', () => {
  test('accepts grant_type as a query parameter, as public integrations send it', async () => {
    const emulator = await start('posti')
    const res = await call(`${emulator.tokenUrl}?grant_type=client_credentials`, {
      method: 'POST',
      headers: { accept: 'application/json', authorization: basic(emulator.credentials.username, emulator.credentials.password) },
    })
    expect(res.status).toBe(200)
    expect(res.json.token_type).toBe('bearer')
    expect(emulator.requestViolations).toEqual([])
  })

  test('accepts grant_type as a form body, as the doc curl example sends it', async () => {
    const emulator = await start('posti')
    expect((await login(emulator)).status).toBe(200)
    expect(emulator.requestViolations).toEqual([])
  })

  test('answers another grant_type with 400 unsupported_grant_type', async () => {
    const emulator = await start('posti')
    const res = await call(emulator.tokenUrl, wires.posti.request(emulator, { ...emulator.credentials }, { grant_type: 'password' }))
    expect(res.status).toBe(400)
    expect(res.json).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type: password' })
  })

  test('records a missing grant_type as a violation of the doc', async () => {
    const emulator = await start('posti')
    await call(emulator.tokenUrl, wires.posti.request(emulator, { ...emulator.credentials }, { grant_type: undefined }))
    expect(emulator.requestViolations).toEqual([expect.stringMatching(/grant_type is in neither the query nor the form body/)])
  })
})

describe('posti headers', () => {
  test('records a request without Accept: application/json, and still issues a token', async () => {
    const emulator = await start('posti')
    // fetch always sends an Accept header; node:http sends only what it is given.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(emulator.tokenUrl, {
        method: 'POST',
        headers: { authorization: basic(emulator.credentials.username, emulator.credentials.password), 'content-type': 'application/x-www-form-urlencoded' },
      })
      req.on('response', (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end('grant_type=client_credentials')
    })
    expect(status).toBe(200)
    expect(emulator.requestViolations).toEqual([expect.stringMatching(/header Accept is required but missing/)])
  })

  test.each(['application/json', 'application/json;charset=utf-8', 'application/json; charset=UTF-8', '*/*', 'application/*', 'text/html, application/json;q=0.9'])(
    'Accept: %s admits the JSON answer: no violation',
    async (accept) => {
      const emulator = await start('posti')
      const init = wires.posti.request(emulator, { ...emulator.credentials })
      const res = await call(emulator.tokenUrl, { ...init, headers: { ...(init.headers as Record<string, string>), accept } })
      expect(res.status).toBe(200)
      expect(emulator.requestViolations).toEqual([])
    },
  )

  test.each(['text/html', 'application/xml', 'application/json;q=0'])('Accept: %s admits no JSON: a violation', async (accept) => {
    const emulator = await start('posti')
    const init = wires.posti.request(emulator, { ...emulator.credentials })
    await call(emulator.tokenUrl, { ...init, headers: { ...(init.headers as Record<string, string>), accept } })
    expect(emulator.requestViolations).toEqual([expect.stringMatching(/header Accept admits none of application\/json/)])
  })

  test('answers a request without Basic credentials with 401', async () => {
    const emulator = await start('posti')
    const res = await call(emulator.tokenUrl, { method: 'POST', headers: { accept: 'application/json' }, body: new URLSearchParams({ grant_type: 'client_credentials' }) })
    expect(res.status).toBe(401)
    expect(res.json.error).toBe('unauthorized')
    expect(emulator.requestViolations).toEqual([expect.stringMatching(/security requirement/)])
  })
})

describe('posti lockout', () => {
  test('5 failed logins lock the account: then the right password gets 401 Bad credentials', async () => {
    const emulator = await start('posti', { clock: manualClock() })
    for (let i = 0; i < 4; i++) expect((await login(emulator, 'wrong')).status).toBe(401)
    expect(emulator.isLocked()).toBe(false)
    await login(emulator, 'wrong')
    expect(emulator.isLocked()).toBe(true)
    const locked = await login(emulator)
    expect(locked.status).toBe(401)
    expect(locked.json).toEqual({ error: 'unauthorized', error_description: 'Bad credentials' })
    expect(emulator.stats.failedLogins).toBe(6)
    expect(emulator.issuedTokens).toEqual([])
  })

  test('lifts the lock one hour later by the emulator clock', async () => {
    const clock = manualClock()
    const emulator = await start('posti', { clock })
    for (let i = 0; i < 5; i++) await login(emulator, 'wrong')
    clock.advance(HOUR - 1)
    expect((await login(emulator)).status).toBe(401)
    clock.advance(1)
    expect(emulator.isLocked()).toBe(false)
    expect((await login(emulator)).status).toBe(200)
  })

  test('counts failures within one hour, even across a successful login', async () => {
    const clock = manualClock()
    const emulator = await start('posti', { clock })
    for (let i = 0; i < 4; i++) await login(emulator, 'wrong')
    expect((await login(emulator)).status).toBe(200)
    clock.advance(HOUR - 1)
    await login(emulator, 'wrong')
    expect(emulator.isLocked()).toBe(true)
  })

  test('forgets failures older than an hour', async () => {
    const clock = manualClock()
    const emulator = await start('posti', { clock })
    for (let i = 0; i < 4; i++) await login(emulator, 'wrong')
    clock.advance(HOUR)
    for (let i = 0; i < 4; i++) await login(emulator, 'wrong')
    expect(emulator.isLocked()).toBe(false)
    await expect(fetchToken(emulator)).resolves.toEqual(expect.any(String))
  })

  test('locks the account named in the request: failures for another username do not lock it', async () => {
    const emulator = await start('posti')
    for (let i = 0; i < 5; i++) await login(emulator, 'wrong', 'somebody-else')
    expect(emulator.isLocked()).toBe(false)
    expect(emulator.stats.failedLogins).toBe(5)
    expect((await login(emulator)).status).toBe(200)
  })

  test('counts injected invalid_credentials faults towards the lock, as a real server would', async () => {
    const emulator = await start('posti')
    emulator.inject({ type: 'invalid_credentials', times: 5 })
    for (let i = 0; i < 5; i++) await login(emulator)
    expect(emulator.isLocked()).toBe(true)
  })
})
