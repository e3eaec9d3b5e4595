import { request } from 'node:http'
import { describe, expect, test } from 'vitest'
import { wires } from './support/carriers.js'
import { call, useEmulators } from './support/emulators.js'

const start = useEmulators()

describe('packly token', () => {
  test('answers application/json; charset=utf-8 with lower-case bearer', async () => {
    const emulator = await start('packly')
    const res = await call(emulator.tokenUrl, wires.packly.request(emulator, { ...emulator.credentials }))
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.json.token_type).toBe('bearer')
    expect(res.json.expires_in).toBe(3600)
  })

  test('gzips its answer when the client accepts gzip, as the doc shows', async () => {
    const emulator = await start('packly')
    const init = wires.packly.request(emulator, { ...emulator.credentials })
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(emulator.tokenUrl, { method: 'POST', headers: { ...(init.headers as Record<string, string>), 'accept-encoding': 'gzip' } })
      req.on('response', (res) => {
        res.resume()
        res.on('end', () => resolve(res.headers['content-encoding']))
      })
      req.on('error', reject)
      req.end(init.body as string)
    })
    expect(encoding).toBe('gzip')
  })

  test('refuses any scope but external with 400 invalid_scope', async () => {
    const emulator = await start('packly')
    const res = await call(emulator.tokenUrl, wires.packly.request(emulator, { ...emulator.credentials }, { scope: 'internal' }))
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('invalid_scope')
  })

  test('refuses any grant but client_credentials with 400 unsupported_grant_type', async () => {
    const emulator = await start('packly')
    const res = await call(emulator.tokenUrl, wires.packly.request(emulator, { ...emulator.credentials }, { grant_type: 'password' }))
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('unsupported_grant_type')
  })

  test('refuses credentials of another environment (another emulator) with 401 invalid_client', async () => {
    const [sandbox, live] = [await start('packly'), await start('packly')]
    const res = await call(live.tokenUrl, wires.packly.request(live, { ...sandbox.credentials }))
    expect(res.status).toBe(401)
    expect(res.json.error).toBe('invalid_client')
  })
})
