import { carriers, type Emulator, startEmulator } from '@carrier-auth/conformance'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { expectNoSecrets, run, sandbox } from './cli.js'

let box: ReturnType<typeof sandbox>
let emulator: Emulator<'posti'>
let env: Record<string, string>

beforeEach(async () => {
  box = sandbox()
  emulator = await startEmulator('posti')
  env = { POSTI_USERNAME: emulator.credentials.username, POSTI_PASSWORD: emulator.credentials.password, CARRIER_AUTH_STORE: box.store }
})

afterEach(async () => {
  await emulator.close()
  box.cleanup()
})

const token = (args: string[], extra: Record<string, string> = {}) =>
  run(['token', 'posti', '--base-url', emulator.url, ...args], { home: box.dir, env: { ...env, ...extra } })

describe('output formats', () => {
  test('prints the bare token and nothing else on stdout', async () => {
    const result = await token([])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${emulator.issuedTokens[0]}\n`)
    expectNoSecrets(result, [emulator.credentials.password])
  })

  test('--json prints accessToken, tokenType, expiresAt and issuedAt as one JSON object', async () => {
    const result = await token(['--json'])
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout) as Record<string, unknown>
    expect(Object.keys(json).sort()).toEqual(['accessToken', 'expiresAt', 'issuedAt', 'tokenType'])
    expect(json).toMatchObject({ accessToken: emulator.issuedTokens[0], tokenType: 'Bearer' })
    const lifetime = Date.parse(json.expiresAt as string) - Date.parse(json.issuedAt as string)
    expect(lifetime).toBeGreaterThan(3_500_000)
    expectNoSecrets(result, [emulator.credentials.password])
  })

  test('--header prints an Authorization line that the carrier accepts', async () => {
    const result = await token(['--header'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`Authorization: Bearer ${emulator.issuedTokens[0]}\n`)
    const [name, value] = result.stdout.trim().split(': ') as [string, string]
    const resource = await fetch(emulator.resourceUrl, { headers: { [name]: value } })
    expect(resource.status).toBe(200)
  })

  test('a second run reuses the token kept in the token file: one request for two runs', async () => {
    const first = await token([])
    const second = await token(['--json'])
    expect(JSON.parse(second.stdout)).toMatchObject({ accessToken: first.stdout.trim() })
    expect(emulator.stats.tokenRequests).toBe(1)
  })
})

describe('what to fix', () => {
  test('a missing variable is named, with exit code 3 and no request', async () => {
    const result = await token([], { POSTI_PASSWORD: '' })
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('POSTI_PASSWORD is not set')
    expect(result.stderr).not.toContain('POSTI_USERNAME is not set')
    expect(emulator.stats.tokenRequests).toBe(0)
  })

  test('both Posti variables missing reads "Neither POSTI_USERNAME nor POSTI_PASSWORD is set", exit 3', async () => {
    const result = await token([], { POSTI_USERNAME: '', POSTI_PASSWORD: '' })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('Neither POSTI_USERNAME nor POSTI_PASSWORD is set: carrier-auth reads the Posti credentials from them.')
    expect(emulator.stats.tokenRequests).toBe(0)
  })

  test('three variables missing read "None of A, B or C is set"', async () => {
    const result = await run(['token', 'postfinance'], { home: box.dir, env: { CARRIER_AUTH_STORE: box.store } })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('None of POSTFINANCE_CLIENT_ID, POSTFINANCE_CLIENT_SECRET or POSTFINANCE_SCOPE is set')
  })

  test('rejected credentials exit 4 naming the variables, and never print the secret sent', async () => {
    const wrong = 'wrong-password-0123456789'
    const result = await token([], { POSTI_PASSWORD: wrong })
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/rejected the credentials/)
    expect(result.stderr).toContain('POSTI_USERNAME and POSTI_PASSWORD')
    expect(result.stderr).toContain('[invalid_credentials]')
    expectNoSecrets(result, [wrong, emulator.credentials.password])
    expect(emulator.stats.tokenRequests).toBe(1)
  })

  test('the cooldown after rejected credentials holds across runs: the next run makes no request', async () => {
    const wrong = 'wrong-password-0123456789'
    await token([], { POSTI_PASSWORD: wrong })
    const again = await token([], { POSTI_PASSWORD: wrong })
    expect(again.code).toBe(4)
    expect(again.stderr).toContain('[credentials_cooldown]')
    expect(again.stderr).toContain(box.store)
    expectNoSecrets(again, [wrong])
    expect(emulator.stats.tokenRequests).toBe(1)
  })

  test('a failing carrier exits 5 after the retries, which are shown on stderr', async () => {
    emulator.inject({ type: 'server_error', times: 10, status: 503 })
    const result = await token([])
    expect(result.code).toBe(5)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/HTTP 503, server_error\); attempt 2/)
    expect(result.stderr).toContain('[server_error]')
    expectNoSecrets(result, [emulator.credentials.password])
  })

  test('an unreachable endpoint exits 5', async () => {
    const result = await run(['token', 'posti', '--base-url', 'http://127.0.0.1:1'], { home: box.dir, env })
    expect(result.code).toBe(5)
    expect(result.stderr).toContain('[network_error]')
  })

  test('plain http to a non-loopback host is refused before any request, exit 3', async () => {
    const result = await run(['token', 'posti', '--base-url', 'http://example.com'], { home: box.dir, env })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('https')
    expect(result.stderr).toContain('--base-url')
  })

  test('an unknown environment exits 3 listing the known ones', async () => {
    const result = await run(['token', 'posti', '--env', 'staging'], { home: box.dir, env })
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/qa, uat, prod/)
  })

  test("Packly's sandbox needs its base URL: the message names PACKLY_SANDBOX_BASE_URL", async () => {
    const result = await run(['token', 'packly'], { home: box.dir, env: { PACKLY_CLIENT_ID: 'id', PACKLY_CLIENT_SECRET: 'secret-value-123' } })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('PACKLY_SANDBOX_BASE_URL')
    expectNoSecrets(result, ['secret-value-123'])
  })

  test.each([
    ['an unknown carrier', ['token', 'fedex']],
    ['no carrier', ['token']],
    ['--json with --header', ['token', 'posti', '--json', '--header']],
    ['--env with --base-url', ['token', 'posti', '--env', 'qa', '--base-url', 'http://127.0.0.1:1']],
    ['an unknown option', ['token', 'posti', '--password', 'x']],
    ['--account for a carrier without accounts', ['token', 'posti', '--account', 'acme']],
  ])('%s is a usage error, exit 2', async (_name, args) => {
    const result = await run(args, { home: box.dir, env })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).not.toBe('')
    expect(emulator.stats.tokenRequests).toBe(0)
  })
})

describe('every carrier', () => {
  test.each(carriers.map((c) => [c.name, c] as const))('%s: a token from its emulator, with credentials from its variables', async (name, carrier) => {
    const own = await startEmulator(name)
    try {
      const credentials = own.credentials as Readonly<Record<string, string>>
      const vars = Object.fromEntries(
        Object.entries(carrier.live.variables)
          .filter(([field]) => field !== 'baseUrl')
          .map(([field, variable]) => [variable, credentials[field] ?? '']),
      )
      const result = await run(['token', name, '--base-url', own.url, '--json'], { home: box.dir, env: { ...vars, CARRIER_AUTH_STORE: box.store } })
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ accessToken: own.issuedTokens[0], tokenType: 'Bearer' })
      expectNoSecrets(result, [credentials[carrier.secretField] ?? '<none>'])
    } finally {
      await own.close()
    }
  })
})
