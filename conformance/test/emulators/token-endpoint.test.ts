import { describe, expect, test } from 'vitest'
import { documentedTtl, wiredCarriers, fetchToken, wires, wrongCredentials } from './support/carriers.js'
import { call, useEmulators } from './support/emulators.js'

const start = useEmulators()

describe.each(wiredCarriers)('%s token endpoint', (carrier) => {
  const wire = wires[carrier]

  test('issues a token to valid credentials in the documented shape, types and content type', async () => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(wire.successContentType)
    wire.expectToken(res.json, emulator, documentedTtl(carrier))
    expect(emulator.issuedTokens).toEqual([res.json[wire.accessTokenField]])
    expect(emulator.requestViolations).toEqual([])
  })

  test('issues the lifetime given by tokenTtlSeconds', async () => {
    const emulator = await start(carrier, { tokenTtlSeconds: 4321 })
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    wire.expectToken(res.json, emulator, 4321)
  })

  test('issues a different url-safe token of at least 28 characters every time', async () => {
    const emulator = await start(carrier)
    const tokens = [await fetchToken(emulator), await fetchToken(emulator), await fetchToken(emulator)]
    expect(new Set(tokens).size).toBe(3)
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{28,}$/)
  })

  test('rejects wrong credentials with the documented status and body', async () => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, wire.request(emulator, wrongCredentials(emulator)))
    expect(res.status).toBe(wire.badCredentials.status)
    expect(res.headers.get('content-type')).toBe(wire.badCredentials.contentType)
    expect(res.json).toEqual(wire.badCredentials.body)
    expect(emulator.stats.failedLogins).toBe(1)
    expect(emulator.issuedTokens).toEqual([])
  })

  test('rejects a request without grant_type with 400', async () => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }, { grant_type: undefined }))
    expect(res.status).toBe(wire.missingGrantType.status)
    expect(res.headers.get('content-type')).toBe(wire.missingGrantType.contentType)
    expect(res.json).toEqual(wire.missingGrantType.body)
    expect(emulator.issuedTokens).toEqual([])
  })

  test('records a request that breaks the spec, and still answers as the carrier would', async () => {
    const emulator = await start(carrier)
    const offSpec = wire.offSpec(emulator)
    const res = await call(emulator.tokenUrl, offSpec.init)
    expect(res.status).toBe(offSpec.status)
    expect(emulator.requestViolations).toEqual([expect.stringMatching(offSpec.violation)])
  })

  test('never names a secret in a request violation', async () => {
    const emulator = await start(carrier)
    await call(emulator.tokenUrl, wire.offSpec(emulator).init)
    await call(emulator.tokenUrl, wire.request(emulator, wrongCredentials(emulator), { grant_type: 'password' }))
    const secret = Object.values(emulator.credentials).at(-1) as string
    expect(emulator.requestViolations.join('\n')).not.toContain(secret)
  })

  test('counts every token request, whatever its outcome', async () => {
    const emulator = await start(carrier)
    await fetchToken(emulator)
    await call(emulator.tokenUrl, wire.request(emulator, wrongCredentials(emulator)))
    await call(emulator.tokenUrl, { method: 'GET' })
    expect(emulator.stats.tokenRequests).toBe(3)
  })

  test('answers 405 to another method on the token path and records it', async () => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, { method: 'GET' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(emulator.requestViolations).toEqual([expect.stringMatching(/no such operation in the spec/)])
  })

  test('answers 404 with JSON to an unknown path', async () => {
    const emulator = await start(carrier)
    const res = await call(`${emulator.url}/nowhere`, { method: 'POST' })
    expect(res.status).toBe(404)
    expect(res.json).toEqual({ error: 'not_found' })
  })

  test('sends a Date header', async () => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    expect(Number.isNaN(Date.parse(res.headers.get('date') ?? ''))).toBe(false)
  })

  test('generates fresh credentials per emulator and accepts overrides', async () => {
    const [a, b] = [await start(carrier), await start(carrier)]
    expect(a.credentials).not.toEqual(b.credentials)
    const field = wire.secretField
    const chosen = await start(carrier, { credentials: { [field]: 'chosen-secret' } })
    expect((chosen.credentials as Record<string, string>)[field]).toBe('chosen-secret')
    await expect(fetchToken(chosen)).resolves.toEqual(expect.any(String))
  })
})
