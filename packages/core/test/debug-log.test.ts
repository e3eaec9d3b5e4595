import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { CarrierAuthError, createManualClock, formatEvent, type LogLevel } from '../src/index.js'
import { debugLevel } from '../src/debug-log.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

const run = promisify(execFile)
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/**
 * A real process with the built package: one token after a 503, then a forced refresh the
 * carrier refuses. Retries wait 0 ms (random() = 0), so real time barely passes.
 */
const program = `
const { createCarrierAuth, defineProfile, formRequest, readOAuthToken } = await import(${JSON.stringify(dist)})
const profile = defineProfile({
  carrier: 'debugged', displayName: 'Debugged', environments: { test: null }, requiredCredentials: ['clientId', 'clientSecret'],
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret }), grants: ['client_credentials'],
  requestToken: (client, c, _g, signal) => client.POST('/token', formRequest({ basic: [c.clientId, c.clientSecret], body: { grant_type: 'client_credentials' }, signal })),
  readToken: readOAuthToken, policy: { defaultLifetimeMs: 3600000, refreshAheadMs: 0, credentialsCooldownMs: 60000 },
})
const auth = createCarrierAuth(profile, { clientId: 'client-1', clientSecret: process.env.SECRET, baseUrl: process.env.URL, retry: { random: () => 0 } })
await auth.getToken()
await auth.getToken({ forceRefresh: true }).catch(() => {})
console.log('done')
`

async function runWithDebug(debug: string | undefined, url: string) {
  const env: Record<string, string | undefined> = { ...process.env, URL: url, SECRET }
  delete env.CARRIER_AUTH_DEBUG
  if (debug !== undefined) env.CARRIER_AUTH_DEBUG = debug
  return run(process.execPath, ['--input-type=module', '-e', program], { env })
}

// Real processes: under a loaded machine they take seconds to start, which is no defect of the code.
describe('CARRIER_AUTH_DEBUG', { timeout: 30_000 }, () => {
  const f = useFixture()

  test('CARRIER_AUTH_DEBUG=1 writes every event to stderr, one line each, with no secret and no token', async () => {
    f.server.queue({ status: 503 }, { status: 200, body: { access_token: 'tok-1', expires_in: 3600 } }, { status: 401, body: { error: 'invalid_client' } })
    const { stdout, stderr } = await runWithDebug('1', f.server.url)
    expect(stdout.trim()).toBe('done')
    const lines = stderr.trim().split('\n')
    expect(lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'carrier-auth debug token_requested',
      'carrier-auth warn retry_scheduled',
      'carrier-auth debug token_requested',
      'carrier-auth info token_acquired',
      'carrier-auth debug token_requested',
      'carrier-auth warn credentials_rejected',
      'carrier-auth warn ledger_volatile',
      'carrier-auth error token_request_failed',
    ])
    expect(lines[7]).toMatch(/ carrier=debugged .*reason=forced code=invalid_credentials attempts=1 .*error="invalid_credentials: /)
    expect(lines[3]).toMatch(/^carrier-auth info token_acquired at=\d{4}-\d\d-\d\dT[\d:.]+Z .* expiresAt=\d{4}-/)
    expect(stderr).not.toContain(SECRET)
    expect(stderr).not.toContain('tok-1')
    expect(stderr).not.toContain(Buffer.from(`client-1:${SECRET}`).toString('base64'))
  })

  test('CARRIER_AUTH_DEBUG=error writes only the failure', async () => {
    f.server.queue({ status: 200, body: { access_token: 'tok-1', expires_in: 3600 } }, { status: 401 })
    const { stderr } = await runWithDebug('error', f.server.url)
    expect(stderr.trim().split('\n').map((l) => l.split(' ')[2])).toEqual(['token_request_failed'])
  })

  test('without CARRIER_AUTH_DEBUG nothing is written to stderr', async () => {
    f.server.queue({ status: 503 })
    const { stdout, stderr } = await runWithDebug(undefined, f.server.url)
    expect(stdout.trim()).toBe('done')
    expect(stderr).toBe('')
  })

  test.each<[string, string | undefined, LogLevel | undefined]>([
    ['1', '1', 'debug'],
    ['true', 'true', 'debug'],
    ['*', '*', 'debug'],
    ['a level name', 'warn', 'warn'],
    ['0', '0', undefined],
    ['false', 'false', undefined],
    ['empty', '', undefined],
    ['unset', undefined, undefined],
  ])('CARRIER_AUTH_DEBUG %s', (_name, value, want) => {
    expect(debugLevel(value)).toBe(want)
  })
})

describe('the logger option', () => {
  const f = useFixture()

  test('a logger gets one line per event at or above its level', async () => {
    const lines: [LogLevel, string][] = []
    f.server.queue({ status: 503 })
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { random: () => 0 }, logger: { level: 'info', log: (level, message) => lines.push([level, message]) } })
    await auth.getToken()
    expect(lines.map(([level, line]) => [level, line.split(' ')[2]])).toEqual([
      ['warn', 'retry_scheduled'],
      ['info', 'token_acquired'],
    ])
  })

  test('a logger that throws breaks neither the token nor onEvent', async () => {
    const auth = createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      onEvent: f.ev.onEvent,
      logger: {
        log: () => {
          throw new Error('disk full')
        },
      },
    })
    expect((await auth.getToken()).accessToken).toBe('tok-1')
    expect(f.ev.of('token_acquired')).toHaveLength(1)
  })

  test('a throwing onEvent does not silence the logger', async () => {
    const lines: string[] = []
    const auth = createTestAuth({
      baseUrl: f.server.url,
      clock: f.clock,
      onEvent: () => {
        throw new Error('broken listener')
      },
      logger: { log: (_level, message) => lines.push(message) },
    })
    await auth.getToken()
    expect(lines).toHaveLength(1)
  })
})

describe('a log line', () => {
  const base = { carrier: 'posti', environment: 'qa', host: 'gateway.example', keyId: 'abc123', at: createManualClock().now() }

  test('renders a store error by its name, code and message, scrubbed of the secret and the account', () => {
    const error = Object.assign(new Error(`cannot write carrier-auth|posti|account:acme-customer with ${SECRET}`), { code: 'EACCES' })
    const line = formatEvent({ ...base, type: 'store_unavailable', operation: 'set', error }, [SECRET, 'acme-customer'])
    expect(line).toBe(
      'carrier-auth warn store_unavailable at=2026-01-01T00:00:00.000Z carrier=posti environment=qa host=gateway.example keyId=abc123 operation=set error="Error EACCES: cannot write carrier-auth|posti|account:[redacted] with [redacted]"',
    )
  })

  test('renders a CarrierAuthError by its code and message only, never its body or cause', () => {
    const error = new CarrierAuthError('Posti rejected the credentials.', {
      code: 'invalid_credentials',
      carrier: 'posti',
      body: { access_token: 'leaked' },
      cause: new Error('the cause says leaked'),
    })
    const line = formatEvent({ ...base, type: 'token_refresh_failed', durationMs: 12, error }, [])
    expect(line).toContain('error="invalid_credentials: Posti rejected the credentials."')
    expect(line).not.toContain('leaked')
  })

  test('renders something a store threw that is not an Error by its kind only', () => {
    const line = formatEvent({ ...base, type: 'store_unavailable', operation: 'get', error: { password: 'hunter2' } })
    expect(line).toMatch(/error="\(object\)"$/)
  })
})
