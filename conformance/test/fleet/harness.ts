import type { TokenStore } from '@carrier-auth/core'
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { afterEach, expect } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'
import { type BurstResult, connectCustomer, FleetWorker, until } from './support.js'

// What every fleet test file does around its processes, on whatever store they share (Redis,
// Redis Cluster, PostgreSQL, a FileStore file), and the fleet scenarios more than one store runs.

const HOUR_MS = 3_600_000
/** Past a PostFinance access token's 12 hours. */
export const PAST_POSTFINANCE_EXPIRY_MS = 13 * HOUR_MS

type WorkerConfig = Parameters<typeof FleetWorker.start>[0]

/**
 * One test file's fleet: the processes and emulators it started (stopped after each test, the
 * emulators checked for response violations), cleanups (run last first), and the fleet's clock
 * (the emulators', the workers' and the test's, moved together by `advanceAll`).
 */
export function useFleet() {
  const workers: FleetWorker[] = []
  const emulators: Emulator[] = []
  const cleanups: (() => Promise<void>)[] = []
  let offsetMs = 0
  const clock = { now: () => Date.now() + offsetMs }

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()))
    for (const e of emulators.splice(0)) {
      expect(e.responseViolations).toEqual([])
      await e.close()
    }
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    offsetMs = 0
  })

  return {
    clock,
    /** Where the fleet's clock is now, relative to real time (for a process started late). */
    offsetMs: () => offsetMs,
    /** Runs after this test, before the cleanups registered earlier. */
    cleanup(run: () => Promise<void>) {
      cleanups.push(run)
    },
    async emulator<C extends 'posti' | 'postfinance'>(carrier: C, options: { tokenTtlSeconds?: number } = {}): Promise<Emulator<C>> {
      const e = await startEmulator(carrier, { clock, ...options })
      emulators.push(e)
      return e
    },
    /** `n` processes started at once, on the fleet's clock. */
    async start(n: number, config: WorkerConfig): Promise<FleetWorker[]> {
      const started = await Promise.all(Array.from({ length: n }, () => FleetWorker.start({ offsetMs, ...config })))
      workers.push(...started)
      return started
    },
    async advanceAll(processes: FleetWorker[], ms: number) {
      offsetMs += ms
      await Promise.all(processes.map((w) => w.advance(ms)))
    },
  }
}

export type Fleet = ReturnType<typeof useFleet>

/** The distinct access tokens a round's callers got. */
export const distinct = (results: BurstResult[]) => new Set(results.flatMap((r) => r.tokens))

export function expectAllSucceeded(results: BurstResult[], callers: number): void {
  for (const r of results) {
    expect(r.failures).toEqual([])
    expect(r.succeeded).toBe(callers)
  }
}

/**
 * 4 processes × 250 concurrent callers on a cold cache make one token request between them, and
 * one more after the token expired, every caller of a round getting the one token.
 */
export async function expectOneRequestPerExpiry(fleet: Fleet, store: Omit<WorkerConfig, 'carrier' | 'emulator'>): Promise<void> {
  const endpoint = await fleet.emulator('posti', { tokenTtlSeconds: 3600 })
  const processes = await fleet.start(4, { carrier: 'posti', emulator: endpoint, ...store })

  const cold = await Promise.all(processes.map((w) => w.burst(250)))
  expectAllSucceeded(cold, 250)
  expect(endpoint.stats.tokenRequests).toBe(1)
  expect(distinct(cold).size).toBe(1)

  await fleet.advanceAll(processes, HOUR_MS)
  const expired = await Promise.all(processes.map((w) => w.burst(250)))
  expectAllSucceeded(expired, 250)
  expect(endpoint.stats.tokenRequests).toBe(2)
  expect(distinct(expired).size).toBe(1)
  expect(distinct(expired)).not.toEqual(distinct(cold))
}

/**
 * A customer connected once (the pair lands in `connectorStore`), then 4 processes on the same
 * store, 50 callers each (or `callers`), past the access token's expiry `rounds` times: one refresh a round for
 * the whole fleet, a new token every round, no refresh token ever sent twice.
 */
export async function expectOneRotationPerExpiry(
  fleet: Fleet,
  options: { connectorStore: TokenStore; store: Omit<WorkerConfig, 'carrier' | 'emulator' | 'account'>; rounds: number; callers?: number },
): Promise<void> {
  const endpoint = await fleet.emulator('postfinance')
  const connector = createPostFinanceAuth({ ...endpoint.credentials, baseUrl: endpoint.url, clock: fleet.clock, store: options.connectorStore })
  const pair = await connectCustomer(connector, 'shop-42')
  const processes = await fleet.start(4, { carrier: 'postfinance', emulator: endpoint, account: 'shop-42', ...options.store })
  const callers = options.callers ?? 50
  const seen = new Set([pair.accessToken])
  for (let round = 1; round <= options.rounds; round++) {
    await fleet.advanceAll(processes, PAST_POSTFINANCE_EXPIRY_MS)
    const results = await Promise.all(processes.map((w) => w.burst(callers)))
    expectAllSucceeded(results, callers)
    // One new access token for every caller, never one seen in an earlier round.
    expect(distinct(results).size).toBe(1)
    const [token] = distinct(results)
    expect(seen.has(token!)).toBe(false)
    seen.add(token!)
    expect(endpoint.stats.refreshTokenUses).toBe(round)
  }
  expect(endpoint.stats.refreshTokenReplays).toBe(0)
  expect(processes.flatMap((w) => w.events).filter((e) => e.type === 'refresh_token_rejected')).toEqual([])
}

/**
 * 4 processes serve two healthy rounds (one request each for the fleet); then, while the lock
 * holder waits on a slow answer, the store's server is killed: every caller is still answered,
 * each process falling back to its own single flight (one request each at most), then and later,
 * and every process reports store_unavailable.
 */
export async function expectServedWhenStoreDies(fleet: Fleet, options: { store: Omit<WorkerConfig, 'carrier' | 'emulator'>; kill(): Promise<void> }): Promise<void> {
  const endpoint = await fleet.emulator('posti', { tokenTtlSeconds: 3600 })
  // The store's command timeout only has to outlast a healthy store on a loaded machine: once the
  // server is killed, commands fail at once (connection refused), not by timing out. At 200 ms a
  // healthy PostgreSQL under a load average of 40 timed out, and a process fetched on its own.
  const processes = await fleet.start(4, { carrier: 'posti', emulator: endpoint, commandTimeoutMs: 1_000, ...options.store })
  const round = () => Promise.all(processes.map((w) => w.burst(50)))

  expectAllSucceeded(await round(), 50)
  expect(endpoint.stats.tokenRequests).toBe(1)
  await fleet.advanceAll(processes, HOUR_MS)
  expectAllSucceeded(await round(), 50)
  expect(endpoint.stats.tokenRequests).toBe(2)
  await fleet.advanceAll(processes, HOUR_MS)

  // Mid-run: one process holds the lock and waits on a slow answer, the others wait on the lock.
  endpoint.inject({ type: 'slow', delayMs: 300 })
  const during = round()
  await until(() => endpoint.stats.tokenRequests === 3, 5_000, 'the lock holder has asked for a token')
  await options.kill()
  expectAllSucceeded(await during, 50)
  expect(endpoint.stats.tokenRequests).toBeLessThanOrEqual(2 + processes.length)

  // And later, with the store still gone.
  const before = endpoint.stats.tokenRequests
  await fleet.advanceAll(processes, HOUR_MS)
  expectAllSucceeded(await round(), 50)
  expect(endpoint.stats.tokenRequests - before).toBeLessThanOrEqual(processes.length)
  for (const w of processes) expect(w.events.some((e) => e.type === 'store_unavailable')).toBe(true)
}

/**
 * The lock holder of 4 processes is SIGKILLed mid-request: the other 3 respect its lease (no
 * stampede: one more request in all) and go on when it runs out, never early, within `lateMs`.
 */
export async function expectHolderDeathCostsOneLease(
  fleet: Fleet,
  options: { store: Omit<WorkerConfig, 'carrier' | 'emulator' | 'options'>; provider: Record<string, unknown>; leaseLeftMs(): Promise<number>; earlyMs: number; lateMs: number },
): Promise<void> {
  const endpoint = await fleet.emulator('posti')
  const config = { carrier: 'posti', emulator: endpoint, options: options.provider, ...options.store }
  const [holder] = await fleet.start(1, config)
  const others = await fleet.start(3, config)

  endpoint.inject({ type: 'slow', delayMs: 60_000 })
  void holder!.burst(10).catch(() => {})
  await until(() => endpoint.stats.tokenRequests === 1, 5_000, 'the holder has taken the lock and asked for a token')
  const leaseLeftMs = await options.leaseLeftMs()
  expect(leaseLeftMs).toBeGreaterThan(0)
  expect(leaseLeftMs).toBeLessThanOrEqual(5000)
  await holder!.kill()
  const killedAt = performance.now()

  const results = await Promise.all(others.map((w) => w.burst(100)))
  const waited = performance.now() - killedAt
  expectAllSucceeded(results, 100)
  expect(distinct(results).size).toBe(1)
  expect(endpoint.stats.tokenRequests).toBe(2)
  expect(waited).toBeGreaterThanOrEqual(leaseLeftMs - options.earlyMs)
  expect(waited).toBeLessThan(leaseLeftMs + options.lateMs) // generous: a loaded CI machine is slow, never early
}
