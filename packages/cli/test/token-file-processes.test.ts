import { readFileSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { run, start, usePostFinance } from './cli.js'

const f = usePostFinance()

/** Marks the stored access token as expired (what the clock would do in an hour), keeping the pair. */
function expireAccessToken(): void {
  const file = JSON.parse(readFileSync(f.box.store, 'utf8')) as { tokens: Record<string, { token: { expiresAt: number } }> }
  for (const slot of Object.values(file.tokens)) slot.token.expiresAt = Date.now() - 1000
  writeFileSync(f.box.store, JSON.stringify(file))
}

test('4 `token postfinance --account` run in parallel on one token file rotate the refresh token once, never replaying it', async () => {
  const cli = start(['authorize', 'postfinance', '--redirect-port', '0', '--account', 'acme', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })
  await fetch(await cli.line(/^https?:\/\//))
  expect((await cli.exited).code).toBe(0)

  for (let round = 1; round <= 3; round++) {
    expireAccessToken()
    const results = await Promise.all(Array.from({ length: 4 }, () => run(['token', 'postfinance', '--account', 'acme', '--base-url', f.emulator.url], { home: f.box.dir, env: f.env })))
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0])
    expect(new Set(results.map((r) => r.stdout.trim())).size).toBe(1)
    expect(f.emulator.stats.refreshTokenUses).toBe(round)
  }
  expect(f.emulator.stats.refreshTokenReplays).toBe(0)
}, 60_000)
