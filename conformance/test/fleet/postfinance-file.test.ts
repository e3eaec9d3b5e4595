import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStore } from '@carrier-auth/core/file-store'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'
import { type BurstResult, connectCustomer, FleetWorker } from './support.js'

const ACCOUNT = 'shop-42'
/** Past a PostFinance access token's 12 hours. */
const PAST_EXPIRY_MS = 13 * 3_600_000

// Real child processes, one FileStore file on this machine: the shape of a few workers, or of the
// CLI's `token postfinance --account` run in parallel.
describe('PostFinance refresh tokens rotated by processes sharing one FileStore file', () => {
  let dir: string
  let file: string
  let emulator: Emulator<'postfinance'>
  const workers: FleetWorker[] = []
  let offsetMs = 0
  /** The emulator's clock and the connecting process's; the workers' clocks move with it. */
  const clock = { now: () => Date.now() + offsetMs }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'carrier-auth-pf-file-'))
    file = join(dir, 'tokens.json')
    emulator = await startEmulator('postfinance', { clock })
  })
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()))
    expect(emulator.responseViolations).toEqual([])
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
    offsetMs = 0
  })

  const connector = () => createPostFinanceAuth({ ...emulator.credentials, baseUrl: emulator.url, clock, store: new FileStore({ path: file, clock }) })
  async function processes(n: number, options: Record<string, unknown> = {}) {
    const started = await Promise.all(Array.from({ length: n }, () => FleetWorker.start({ carrier: 'postfinance', emulator, file, account: ACCOUNT, offsetMs, options })))
    workers.push(...started)
    return started
  }
  async function advanceAll(fleet: FleetWorker[], ms: number) {
    offsetMs += ms
    await Promise.all(fleet.map((w) => w.advance(ms)))
  }
  const distinct = (results: BurstResult[]) => new Set(results.flatMap((r) => r.tokens))

  test('4 processes × 25 callers with the access token expired make exactly 1 refresh a round: 0 replays, 0 invalid_grant', async () => {
    const pair = await connectCustomer(connector(), ACCOUNT)
    const fleet = await processes(4)
    const seen = new Set([pair.accessToken])
    for (let round = 1; round <= 3; round++) {
      await advanceAll(fleet, PAST_EXPIRY_MS)
      const results = await Promise.all(fleet.map((w) => w.burst(25)))
      for (const r of results) {
        expect(r.failures).toEqual([])
        expect(r.succeeded).toBe(25)
      }
      // One new access token for all 100 callers, never one seen in an earlier round.
      expect(distinct(results).size).toBe(1)
      const [token] = distinct(results)
      expect(seen.has(token!)).toBe(false)
      seen.add(token!)
      expect(emulator.stats.refreshTokenUses).toBe(round)
    }
    expect(emulator.stats.refreshTokenReplays).toBe(0)
    expect(workers.flatMap((w) => w.events).filter((e) => e.type === 'refresh_token_rejected')).toEqual([])
  }, 60_000)

  test('a refresh answer held past the timeout is awaited and stored: a second process reads the late pair, nothing is replayed', async () => {
    const pair = await connectCustomer(connector(), ACCOUNT)
    const [slow] = await processes(1, { timeoutMs: 200 })
    await advanceAll([slow!], PAST_EXPIRY_MS)
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
