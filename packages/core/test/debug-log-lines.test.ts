import { afterEach, describe, expect, test, vi } from 'vitest'
import { createManualClock, formatEvent, levelOf, type CarrierAuthEvent } from '../src/index.js'
import { debugLevel } from '../src/debug-log.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

const base = { carrier: 'posti', environment: 'qa', host: 'gateway.example', keyId: 'abc123', at: createManualClock().now() }

describe('CARRIER_AUTH_DEBUG values', () => {
  test.each([
    ['a level name in capitals, with spaces', ' WARN ', 'warn'],
    ['yes', 'yes', 'debug'],
    ['on', 'on', 'debug'],
    ['error', 'error', 'error'],
    ['a word that is none of them', 'verbose', undefined],
    ['spaces only', '   ', undefined],
  ])('%s', (_name, value, want) => {
    expect(debugLevel(value)).toBe(want)
  })
})

describe('CARRIER_AUTH_DEBUG where the runtime is Deno', () => {
  afterEach(() => vi.unstubAllGlobals())

  test("is read from Deno.env when process.env does not have it", () => {
    vi.stubGlobal('process', { env: {} })
    vi.stubGlobal('Deno', { env: { get: (name: string) => (name === 'CARRIER_AUTH_DEBUG' ? 'error' : undefined) } })
    const level = debugLevel()
    vi.unstubAllGlobals()
    expect(level).toBe('error')
  })

  test('a Deno without --allow-env (get throws) means no debug log, not an error', () => {
    vi.stubGlobal('process', { env: {} })
    vi.stubGlobal('Deno', {
      env: {
        get: () => {
          throw new Error('Requires env access')
        },
      },
    })
    const level = debugLevel()
    vi.unstubAllGlobals()
    expect(level).toBeUndefined()
  })

  test('a process.env that throws on read falls back to Deno.env', () => {
    const env = new Proxy({}, { get: () => { throw new Error('no env') } })
    vi.stubGlobal('process', { env })
    vi.stubGlobal('Deno', { env: { get: () => 'info' } })
    const level = debugLevel()
    vi.unstubAllGlobals()
    expect(level).toBe('info')
  })
})

describe('CARRIER_AUTH_DEBUG in this process', () => {
  const f = useFixture()
  const saved = process.env.CARRIER_AUTH_DEBUG
  afterEach(() => {
    if (saved === undefined) delete process.env.CARRIER_AUTH_DEBUG
    else process.env.CARRIER_AUTH_DEBUG = saved
    vi.restoreAllMocks()
  })

  test('=warn writes the retry to stderr, and neither the request nor the token, nor any secret', async () => {
    process.env.CARRIER_AUTH_DEBUG = 'warn'
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {})
    f.server.queue({ status: 503 })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { random: () => 0 } })
    await auth.getToken()
    const lines = stderr.mock.calls.map(([line]) => String(line))
    expect(lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['carrier-auth warn retry_scheduled'])
    expect(lines.join('\n')).not.toContain(SECRET)
  })

  test('beside a logger and onEvent, each hears every event', async () => {
    process.env.CARRIER_AUTH_DEBUG = 'debug'
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {})
    const logged: string[] = []
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, onEvent: f.ev.onEvent, logger: { level: 'debug', log: (_l, m) => logged.push(m) } })
    await auth.getToken()
    expect(stderr.mock.calls.map(([l]) => String(l).split(' ')[2])).toEqual(['token_requested', 'token_acquired'])
    expect(logged.map((l) => l.split(' ')[2])).toEqual(['token_requested', 'token_acquired'])
    expect(f.ev.events.map((e) => e.type)).toEqual(['token_requested', 'token_acquired'])
  })
})

describe('a log line, field by field', () => {
  test('epoch times are ISO, other numbers as they are, plain words bare, anything else quoted, absent fields left out', () => {
    const event: CarrierAuthEvent = {
      ...base,
      type: 'token_acquired',
      reason: 'cold',
      source: 'network',
      durationMs: 1500,
      attempts: 2,
      expiresAt: base.at + 3_600_000,
    }
    expect(formatEvent(event)).toBe(
      'carrier-auth info token_acquired at=2026-01-01T00:00:00.000Z carrier=posti environment=qa host=gateway.example keyId=abc123 reason=cold source=network durationMs=1500 attempts=2 expiresAt=2026-01-01T01:00:00.000Z',
    )
    const odd = formatEvent({ ...base, environment: undefined, type: 'store_unavailable', operation: 'set key', error: 'x' })
    expect(odd).toBe('carrier-auth warn store_unavailable at=2026-01-01T00:00:00.000Z carrier=posti host=gateway.example keyId=abc123 operation="set key" error=x')
  })

  test('a time that is no time is shown as the number it is', () => {
    expect(formatEvent({ ...base, type: 'credentials_rejected', status: 401, cooldownUntil: Number.NaN })).toContain(' cooldownUntil=NaN')
  })

  test('a store error without a string code is its name and message; a long message is cut at 300 characters', () => {
    const error = Object.assign(new TypeError('x'.repeat(400)), { code: 42 })
    const line = formatEvent({ ...base, type: 'store_unavailable', operation: 'get', error })
    expect(line).toContain(` error="TypeError: ${'x'.repeat(300)}"`)
  })

  test.each<[CarrierAuthEvent['type'], string]>([
    ['token_request_failed', 'error'],
    ['token_refresh_failed', 'warn'],
    ['credentials_rejected', 'warn'],
    ['refresh_token_rejected', 'warn'],
    ['ledger_volatile', 'warn'],
    ['store_unavailable', 'warn'],
    ['retry_scheduled', 'warn'],
    ['token_acquired', 'info'],
    ['token_requested', 'debug'],
  ])('%s is logged at %s', (type, level) => {
    expect(levelOf({ ...base, type } as CarrierAuthEvent)).toBe(level)
  })
})
