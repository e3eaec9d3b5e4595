import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { type Emulator, startEmulator } from '@carrier-auth/conformance'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { expectNoSecrets, run, sandbox, start } from './cli.js'

let box: ReturnType<typeof sandbox>
let emulator: Emulator<'postfinance'>
let env: Record<string, string>

beforeEach(async () => {
  box = sandbox()
  emulator = await startEmulator('postfinance')
  const { clientId, clientSecret, scope } = emulator.credentials
  env = { POSTFINANCE_CLIENT_ID: clientId, POSTFINANCE_CLIENT_SECRET: clientSecret, POSTFINANCE_SCOPE: scope, CARRIER_AUTH_STORE: box.store }
})

afterEach(async () => {
  await emulator.close()
  box.cleanup()
})

/** A port nobody listens on right now: the redirect URI a user would have registered. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

interface StoredPair {
  token: { accessToken: string; refreshToken?: string }
}

function storedPairs(): StoredPair[] {
  const file = JSON.parse(readFileSync(box.store, 'utf8')) as { tokens: Record<string, StoredPair> }
  return Object.values(file.tokens)
}

test('connects an account: the emulator redirects to the local callback and the pair lands in the token file', async () => {
  const port = await freePort()
  const cli = start(['authorize', 'postfinance', '--redirect-port', String(port), '--account', 'acme', '--base-url', emulator.url], { home: box.dir, env })
  const url = new URL(await cli.line(/^https?:\/\//))
  expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`)
  expect(url.searchParams.get('client_id')).toBe(emulator.credentials.clientId)

  // The "browser": the emulator consents at once and redirects to the CLI's callback server.
  const page = await fetch(url)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('is connected')

  const result = await cli.exited
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('Connected PostFinance SmartBusiness account "acme"')
  const pairs = storedPairs()
  expect(pairs).toHaveLength(1)
  const pair = pairs[0]!.token
  expect(pair.refreshToken).toEqual(expect.any(String))
  expect(emulator.issuedTokens).toContain(pair.accessToken)
  expectNoSecrets(result, [emulator.credentials.clientSecret, pair.accessToken, pair.refreshToken!])
})

test('token --account then prints the connected account’s token from the token file', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--account', 'acme', '--base-url', emulator.url], { home: box.dir, env })
  await fetch(await cli.line(/^https?:\/\//))
  expect((await cli.exited).code).toBe(0)
  const requestsAfterConnect = emulator.stats.tokenRequests

  const result = await run(['token', 'postfinance', '--account', 'acme', '--base-url', emulator.url], { home: box.dir, env })
  expect(result.code).toBe(0)
  expect(result.stdout.trim()).toBe(storedPairs()[0]!.token.accessToken)
  expect(emulator.stats.tokenRequests).toBe(requestsAfterConnect)
})

test('token --account for an account never connected exits 4 and says how to connect it', async () => {
  const result = await run(['token', 'postfinance', '--account', 'nobody', '--base-url', emulator.url], { home: box.dir, env })
  expect(result.code).toBe(4)
  expect(result.stderr).toContain(`carrier-auth authorize postfinance --account nobody --redirect-port <port> --base-url ${emulator.url}`)
})

test('a redirect whose state does not match is refused before any request: exit 4, nothing stored', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--base-url', emulator.url], { home: box.dir, env })
  const url = new URL(await cli.line(/^https?:\/\//))
  const callback = new URL(url.searchParams.get('redirect_uri')!)
  callback.searchParams.set('code', 'forged-code')
  callback.searchParams.set('state', 'forged-state')
  const page = await fetch(callback)
  expect(page.status).toBe(400)

  const result = await cli.exited
  expect(result.code).toBe(4)
  expect(result.stderr).toContain('[state_mismatch]')
  expect(emulator.stats.tokenRequests).toBe(0)
  expectNoSecrets(result, [emulator.credentials.clientSecret])
})

test('a denied authorization (error in the redirect) exits 4', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--base-url', emulator.url], { home: box.dir, env })
  const url = new URL(await cli.line(/^https?:\/\//))
  const callback = new URL(url.searchParams.get('redirect_uri')!)
  callback.searchParams.set('error', 'access_denied')
  await fetch(callback)
  const result = await cli.exited
  expect(result.code).toBe(4)
  expect(result.stderr).toContain('did not authorize the account: access_denied')
})

test('no redirect before --timeout exits 5', async () => {
  const result = await run(['authorize', 'postfinance', '--redirect-port', '0', '--timeout', '1', '--base-url', emulator.url], { home: box.dir, env })
  expect(result.code).toBe(5)
  expect(result.stderr).toContain('No redirect arrived within 1 s')
})

test('Ctrl-C while waiting exits 130 and stores nothing', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--base-url', emulator.url], { home: box.dir, env })
  await cli.line(/^https?:\/\//)
  cli.child.kill('SIGINT')
  const result = await cli.exited
  expect(result.code).toBe(130)
  expect(result.stderr).toContain('nothing was stored')
})

test('a port already in use exits 3 and says to choose another', async () => {
  const busy = createServer()
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = busy.address() as { port: number }
    const result = await run(['authorize', 'postfinance', '--redirect-port', String(port), '--base-url', emulator.url], { home: box.dir, env })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('EADDRINUSE')
    expect(result.stderr).toContain('--redirect-port')
  } finally {
    busy.close()
  }
})

test.each([
  ['a carrier without the authorization-code grant', ['authorize', 'posti', '--redirect-port', '0']],
  ['no --redirect-port', ['authorize', 'postfinance']],
  ['a port out of range', ['authorize', 'postfinance', '--redirect-port', '70000']],
])('%s is a usage error, exit 2', async (_name, args) => {
  const result = await run(args, { home: box.dir, env })
  expect(result.code).toBe(2)
  expect(result.stderr).not.toBe('')
})
