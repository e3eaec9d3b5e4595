import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { expect, test } from 'vitest'
import { expectNoSecrets, run, start, usePostFinance } from './cli.js'

const f = usePostFinance()

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
  const file = JSON.parse(readFileSync(f.box.store, 'utf8')) as { tokens: Record<string, StoredPair> }
  return Object.values(file.tokens)
}

test('connects an account: the f.emulator redirects to the local callback and the pair lands in the token file', async () => {
  const port = await freePort()
  const cli = start(['authorize', 'postfinance', '--redirect-port', String(port), '--account', 'acme', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  const url = new URL(await cli.line(/^https?:\/\//))
  expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`)
  expect(url.searchParams.get('client_id')).toBe(f.emulator.credentials.clientId)

  // The "browser": the f.emulator consents at once and redirects to the CLI's callback server.
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
  expect(f.emulator.issuedTokens).toContain(pair.accessToken)
  expectNoSecrets(result, [f.emulator.credentials.clientSecret, pair.accessToken, pair.refreshToken!])
})

test('token --account then prints the connected account’s token from the token file', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--account', 'acme', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  await fetch(await cli.line(/^https?:\/\//))
  expect((await cli.exited).code).toBe(0)
  const requestsAfterConnect = f.emulator.stats.tokenRequests

  const result = await run(['token', 'postfinance', '--account', 'acme', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  expect(result.code).toBe(0)
  expect(result.stdout.trim()).toBe(storedPairs()[0]!.token.accessToken)
  expect(f.emulator.stats.tokenRequests).toBe(requestsAfterConnect)
})

test('token --account for an account never connected exits 4 and says how to connect it', async () => {
  const result = await run(['token', 'postfinance', '--account', 'nobody', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  expect(result.code).toBe(4)
  expect(result.stderr).toContain(`carrier-auth authorize postfinance --account nobody --redirect-port <port> --base-url ${f.emulator.url}`)
})

test('a redirect whose state does not match is refused before any request: exit 4, nothing stored', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  const url = new URL(await cli.line(/^https?:\/\//))
  const callback = new URL(url.searchParams.get('redirect_uri')!)
  callback.searchParams.set('code', 'forged-code')
  callback.searchParams.set('state', 'forged-state')
  const page = await fetch(callback)
  expect(page.status).toBe(400)

  const result = await cli.exited
  expect(result.code).toBe(4)
  expect(result.stderr).toContain('[state_mismatch]')
  expect(f.emulator.stats.tokenRequests).toBe(0)
  expectNoSecrets(result, [f.emulator.credentials.clientSecret])
})

test('a denied authorization (error in the redirect) exits 4', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  const url = new URL(await cli.line(/^https?:\/\//))
  const callback = new URL(url.searchParams.get('redirect_uri')!)
  callback.searchParams.set('error', 'access_denied')
  await fetch(callback)
  const result = await cli.exited
  expect(result.code).toBe(4)
  expect(result.stderr).toContain('did not authorize the account: access_denied')
})

test('no redirect before --timeout exits 5', async () => {
  const result = await run(['authorize', 'postfinance', '--redirect-port', '0', '--timeout', '1', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  expect(result.code).toBe(5)
  expect(result.stderr).toContain('No redirect arrived within 1 s')
})

test('Ctrl-C while waiting exits 130 and stores nothing', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
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
    const result = await run(['authorize', 'postfinance', '--redirect-port', String(port), '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
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
  const result = await run(args, { home: f.box.dir, env: f.env })
  expect(result.code).toBe(2)
  expect(result.stderr).not.toBe('')
})
