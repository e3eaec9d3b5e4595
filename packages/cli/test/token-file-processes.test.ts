import { readFileSync, writeFileSync } from 'node:fs'
import { type Emulator, startEmulator } from '@carrier-auth/conformance'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { run, sandbox, start } from './cli.js'

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

/** Marks the stored access token as expired (what the clock would do in an hour), keeping the pair. */
function expireAccessToken(): void {
  const file = JSON.parse(readFileSync(box.store, 'utf8')) as { tokens: Record<string, { token: { expiresAt: number } }> }
  for (const slot of Object.values(file.tokens)) slot.token.expiresAt = Date.now() - 1000
  writeFileSync(box.store, JSON.stringify(file))
}

test('4 `token postfinance --account` run in parallel on one token file rotate the refresh token once, never replaying it', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--account', 'acme', '--base-url', emulator.url], { home: box.dir, env })
  await fetch(await cli.line(/^https?:\/\//))
  expect((await cli.exited).code).toBe(0)

  for (let round = 1; round <= 3; round++) {
    expireAccessToken()
    const results = await Promise.all(Array.from({ length: 4 }, () => run(['token', 'postfinance', '--account', 'acme', '--base-url', emulator.url], { home: box.dir, env })))
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0])
    expect(new Set(results.map((r) => r.stdout.trim())).size).toBe(1)
    expect(emulator.stats.refreshTokenUses).toBe(round)
  }
  expect(emulator.stats.refreshTokenReplays).toBe(0)
}, 60_000)
