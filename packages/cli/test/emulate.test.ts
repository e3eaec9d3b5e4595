import { afterEach, beforeEach, expect, test } from 'vitest'
import { carriers } from '@carrier-auth/conformance'
import { run, sandbox, start } from './cli.js'

let box: ReturnType<typeof sandbox>
beforeEach(() => (box = sandbox()))
afterEach(() => box.cleanup())

interface Printed {
  carrier: string
  url: string
  tokenUrl: string
  resourceUrl: string
  credentials: Record<string, string>
  env: Record<string, string>
}

/** Reads stdout until it holds the whole JSON object (it is printed in one write, then the process waits). */
async function printed(cli: ReturnType<typeof start>): Promise<Printed> {
  await cli.line(/^}$/)
  return JSON.parse(cli.stdout()) as Printed
}

test('emulate posti --port 0 prints its URL and credentials, answers a token request, and stops on SIGTERM', async () => {
  const cli = start(['emulate', 'posti', '--port', '0'], { home: box.dir })
  try {
    const info = await printed(cli)
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(info.tokenUrl).toBe(`${info.url}/oauth/token`)
    expect(Object.keys(info.env)).toEqual(['POSTI_USERNAME', 'POSTI_PASSWORD'])
    expect(info.env.POSTI_PASSWORD).toBe(info.credentials.password)

    // A plain token request, as curl would send it…
    const basic = Buffer.from(`${info.credentials.username}:${info.credentials.password}`).toString('base64')
    const direct = await fetch(info.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
    expect(direct.status).toBe(200)
    expect(await direct.json()).toMatchObject({ access_token: expect.any(String) })

    // …and carrier-auth token with the printed variables.
    const token = await run(['token', 'posti', '--base-url', info.url], { home: box.dir, env: { ...info.env, CARRIER_AUTH_STORE: box.store } })
    expect(token.code).toBe(0)
    expect(token.stdout.trim()).toMatch(/^\S{16,}$/)
  } finally {
    cli.child.kill('SIGTERM')
  }
  const result = await cli.exited
  expect(result.code).toBe(0)
  expect(result.stderr).toContain('Stopped after 2 token requests')
})

test('the emulator’s env holds the base URL variable a carrier has (Packly’s sandbox)', async () => {
  const cli = start(['emulate', 'packly'], { home: box.dir })
  try {
    const info = await printed(cli)
    expect(info.env.PACKLY_SANDBOX_BASE_URL).toBe(info.url)
    const token = await run(['token', 'packly'], { home: box.dir, env: { ...info.env, CARRIER_AUTH_STORE: box.store } })
    expect(token.code).toBe(0)
  } finally {
    cli.child.kill('SIGINT')
  }
  expect((await cli.exited).code).toBe(0)
})

test('emulate logs one line per request to stderr, with the spec violation a request made', async () => {
  const cli = start(['emulate', 'posti'], { home: box.dir })
  try {
    const info = await printed(cli)
    const basic = Buffer.from(`${info.credentials.username}:${info.credentials.password}`).toString('base64')
    const headers = { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }
    await fetch(`${info.tokenUrl}?note=private`, { method: 'POST', headers: { ...headers, accept: 'application/json' }, body: 'grant_type=client_credentials' })
    await fetch(info.tokenUrl, { method: 'POST', headers: { ...headers, accept: 'text/html' }, body: 'grant_type=client_credentials' })
  } finally {
    cli.child.kill('SIGTERM')
  }
  const result = await cli.exited
  expect(result.code).toBe(0)
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('POST '))
  expect(lines).toEqual(['POST /oauth/token → 200', 'POST /oauth/token → 200  violations: POST /oauth/token: header Accept admits none of application/json'])
})

test('an unknown carrier is a usage error, exit 2', async () => {
  const result = await run(['emulate', 'fedex'], { home: box.dir })
  expect(result.code).toBe(2)
  expect(result.stderr).toContain(carriers.map((c) => c.name).join(', '))
})
