import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStore } from '@carrier-auth/core/file-store'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { beforeEach, describe, expect, test } from 'vitest'
import { expectOneRotationPerExpiry, PAST_POSTFINANCE_EXPIRY_MS, useFleet } from './harness.js'
import { connectCustomer } from './support.js'

const ACCOUNT = 'shop-42'

// Real child processes, one FileStore file on this machine: the shape of a few workers, or of the
// CLI's `token postfinance --account` run in parallel.
describe('PostFinance refresh tokens rotated by processes sharing one FileStore file', () => {
  let file: string
  const fleet = useFleet()

  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-auth-pf-file-'))
    file = join(dir, 'tokens.json')
    fleet.cleanup(() => rm(dir, { recursive: true, force: true }))
  })

  test('4 processes × 25 callers with the access token expired make exactly 1 refresh a round: 0 replays, 0 invalid_grant', async () => {
    await expectOneRotationPerExpiry(fleet, { connectorStore: new FileStore({ path: file, clock: fleet.clock }), store: { file }, rounds: 3, callers: 25 })
  }, 60_000)

  test('a refresh answer held past the timeout is awaited and stored: a second process reads the late pair, nothing is replayed', async () => {
    const emulator = await fleet.emulator('postfinance')
    const connector = createPostFinanceAuth({ ...emulator.credentials, baseUrl: emulator.url, clock: fleet.clock, store: new FileStore({ path: file, clock: fleet.clock }) })
    const processes = (n: number, options: Record<string, unknown> = {}) => fleet.start(n, { carrier: 'postfinance', emulator, file, account: ACCOUNT, options })
    const pair = await connectCustomer(connector, ACCOUNT)
    const [slow] = await processes(1, { timeoutMs: 200 })
    await fleet.advanceAll([slow!], PAST_POSTFINANCE_EXPIRY_MS)
    emulator.inject({ type: 'slow', delayMs: 1500 })
    const held = await slow!.burst(5)
    expect(held.failures).toEqual([])
    expect(held.tokens).toHaveLength(1)
    expect(held.tokens[0]).not.toBe(pair.accessToken)
    // One exchange and one refresh: the held refresh was never sent again.
    expect(emulator.stats.tokenRequests).toBe(2)

    const [cold] = await processes(1)
    const read = await cold!.burst(5)
    expect(read.failures).toEqual([])
    expect(read.tokens).toEqual(held.tokens)
    expect(emulator.stats.refreshTokenUses).toBe(1)
    expect(emulator.stats.refreshTokenReplays).toBe(0)
  }, 60_000)
})
