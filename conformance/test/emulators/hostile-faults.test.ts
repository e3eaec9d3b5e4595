import { describe, expect, test, vi } from 'vitest'
import type { HostileTokenVariant } from '../../src/emulators/index.js'
import { wiredCarriers, wires } from './support/carriers.js'
import { call, useEmulators } from './support/emulators.js'

const start = useEmulators()

describe.each(wiredCarriers)('%s: faults for account safety and hostile answers', (carrier) => {
  const wire = wires[carrier]

  test.each([307, 308] as const)('redirect %i points to the second origin, which answers and counts', async (status) => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'redirect', status })
    const init = wire.request(emulator, { ...emulator.credentials })
    const first = await fetch(emulator.tokenUrl, { ...init, redirect: 'manual' })
    expect(first.status).toBe(status)
    const location = first.headers.get('location')!
    expect(new URL(location).origin).toBe(emulator.redirectTargetUrl)
    expect(emulator.stats.redirectTargetRequests).toBe(0)
    const followed = await call(location, wire.request(emulator, { ...emulator.credentials }))
    expect(followed.status).toBe(200)
    expect(emulator.stats.redirectTargetRequests).toBe(1)
  })

  test.each(['crlf', 'non_latin1'] as HostileTokenVariant[])('hostile_token %s puts characters no header can carry into the token', async (variant) => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'hostile_token', variant })
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    const token = String(res.json[wire.accessTokenField])
    expect(token.startsWith(emulator.issuedTokens[0]!)).toBe(true)
    expect(/[\r\n]|[^\u0000-\u00ff]/.test(token)).toBe(true)
  })

  test.each([
    ['negative_lifetime', -3600],
    ['zero_lifetime', 0],
    ['string_lifetime', '-5'],
    ['huge_lifetime', 10 * 366 * 24 * 3600],
  ] as const)('hostile_token %s sends the lifetime %s', async (variant, lifetime) => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'hostile_token', variant })
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    expect(String(res.json[wire.lifetimeField])).toBe(String(lifetime))
  })

  test('oversized_body streams a carrier-shaped answer, and stops when the client hangs up', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'oversized_body', bytes: 256 * 1024 })
    const whole = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    expect(whole.text.length).toBe(256 * 1024)
    expect(String(whole.json[wire.accessTokenField])).toMatch(/^A+$/)
    emulator.inject({ type: 'oversized_body' })
    const res = await fetch(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials }))
    expect(res.headers.get('content-length')).toBe(String(50 * 1024 * 1024))
    const reader = res.body!.getReader()
    await reader.read()
    await reader.cancel()
    await vi.waitFor(() => expect(emulator.stats.oversizedBodies).toHaveLength(2))
    await vi.waitFor(() => expect(emulator.stats.oversizedBodies[1]).toMatchObject({ complete: false, finished: true }))
    expect(emulator.stats.oversizedBodies[0]).toEqual({ bytesSent: 256 * 1024, complete: true, finished: true })
    expect(emulator.stats.oversizedBodies[1]!.bytesSent).toBeLessThan(50 * 1024 * 1024)
  })

  test('slow_rejection counts the failed login at receipt, before the answer is sent', async () => {
    const emulator = await start(carrier)
    emulator.inject({ type: 'slow_rejection', delayMs: 30_000 })
    const controller = new AbortController()
    const pending = fetch(emulator.tokenUrl, { ...wire.request(emulator, { ...emulator.credentials }), signal: controller.signal }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(emulator.stats.failedLogins).toBe(1))
    controller.abort()
    expect(await pending).toBeInstanceOf(Error)
  })
})
