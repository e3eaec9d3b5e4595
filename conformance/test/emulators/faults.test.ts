import { describe, expect, test } from 'vitest'
import { documentedTtl, wiredCarriers, fetchToken, wires } from './support/carriers.js'
import { call, manualClock, useEmulators } from './support/emulators.js'

const start = useEmulators()

describe.each(wiredCarriers)('%s faults', (carrier) => {
  const wire = wires[carrier]
  const valid = (emulator: Awaited<ReturnType<typeof start>>) => call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))

  test('server_error answers 503 by default, or the given status', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'server_error' })
    emulator.inject({ type: 'server_error', status: 500 })
    expect((await valid(emulator)).status).toBe(503)
    expect((await valid(emulator)).status).toBe(500)
    expect((await valid(emulator)).status).toBe(200)
  })

  test('rate_limited answers 429 with Retry-After in seconds', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'rate_limited', retryAfterSeconds: 7 })
    const res = await valid(emulator)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
  })

  test('rate_limited answers Retry-After as an HTTP-date by the emulator clock', async () => {
    const clock = manualClock()
    const emulator = await start(carrier, { clock })
    emulator.inject({ type: 'rate_limited', retryAfterSeconds: 30, retryAfterAsDate: true })
    const res = await valid(emulator)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe(new Date(clock.now() + 30_000).toUTCString())
  })

  test('malformed_json answers 200 application/json with a truncated body', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'malformed_json' })
    const res = await valid(emulator)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(() => JSON.parse(res.text)).toThrow()
  })

  test('html_error_page answers an HTML page, 200 by default or the given status', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'html_error_page' })
    emulator.inject({ type: 'html_error_page', status: 502 })
    const portal = await valid(emulator)
    expect(portal.status).toBe(200)
    expect(portal.headers.get('content-type')).toMatch(/^text\/html/)
    expect(portal.text).toMatch(/^<!DOCTYPE html>/)
    expect((await valid(emulator)).status).toBe(502)
  })

  test('missing_access_token answers the carrier shape without the token, and issues nothing', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'missing_access_token' })
    const res = await valid(emulator)
    expect(res.status).toBe(200)
    expect(res.json).not.toHaveProperty(wire.accessTokenField)
    expect(res.json).toHaveProperty(wire.lifetimeField)
    expect(emulator.issuedTokens).toEqual([])
  })

  test('missing_expires_in answers a working token without its lifetime field', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'missing_expires_in' })
    const res = await valid(emulator)
    expect(res.status).toBe(200)
    expect(res.json).not.toHaveProperty(wire.lifetimeField)
    const token = res.json[wire.accessTokenField] as string
    expect((await call(emulator.resourceUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
  })

  test('drop_connection closes the socket without an answer', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'drop_connection' })
    await expect(valid(emulator)).rejects.toThrow()
    expect(emulator.stats.tokenRequests).toBe(1)
    expect((await valid(emulator)).status).toBe(200)
  })

  test('slow answers normally after the delay', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'slow', delayMs: 50 })
    const res = await valid(emulator)
    expect(res.status).toBe(200)
    wire.expectToken(res.json, emulator, documentedTtl(carrier))
  })

  test('invalid_credentials answers valid credentials as the carrier answers wrong ones', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'invalid_credentials' })
    const res = await valid(emulator)
    expect(res.status).toBe(wire.badCredentials.status)
    expect(res.json).toEqual(wire.badCredentials.body)
    expect(emulator.stats.failedLogins).toBe(1)
    expect((await valid(emulator)).status).toBe(200)
  })

  test('applies a fault `times` times, then answers normally', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'server_error', times: 2 })
    expect((await valid(emulator)).status).toBe(503)
    expect((await valid(emulator)).status).toBe(503)
    expect((await valid(emulator)).status).toBe(200)
  })

  test('applies queued faults first in, first out, and counts each as a token request', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'rate_limited' })
    emulator.inject({ type: 'server_error' })
    expect((await valid(emulator)).status).toBe(429)
    expect((await valid(emulator)).status).toBe(503)
    expect(emulator.stats.tokenRequests).toBe(2)
  })

  test('leaves the resource endpoint alone', async () => {
    const emulator = await start(carrier)
    const token = await fetchToken(emulator)
    emulator.inject({ type: 'server_error' })
    expect((await call(emulator.resourceUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect((await valid(emulator)).status).toBe(503)
  })
})

describe('fault queue', () => {
  test('refuses a non-positive times', async () => {
    const emulator = await start('posti')
    expect(() => emulator.inject({ type: 'server_error', times: 0 })).toThrow(RangeError)
  })

  test('close() cancels a pending slow answer and lets the client go', async () => {
    const emulator = await start('posti')
    emulator.inject({ type: 'slow', delayMs: 60_000 })
    const pending = call(emulator.tokenUrl, wires.posti.request(emulator, { ...emulator.credentials }))
    await expect.poll(() => emulator.stats.tokenRequests).toBe(1)
    await emulator.close()
    await expect(pending).rejects.toThrow()
  })
})
