import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import { dropSchema, postgresMissing, quietPool, skipOrFailPostgres, startPostgresServer, uniqueSchema } from '@carrier-auth/testing-stores'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulators/index.js'
import { type BurstResult, FleetWorker, until } from './support.js'

// A fleet of real processes on the machine's PostgreSQL. Without one: ONE loud line and a skip, or a failure in CI.
const missing = await postgresMissing()
if (missing !== undefined) skipOrFailPostgres('the PostgreSQL fleet tests', missing)

const HOUR_S = 3600

describe.skipIf(missing !== undefined)('a fleet of processes sharing one PostgreSQL', () => {
  const admin = quietPool({ max: 2 })
  const workers: FleetWorker[] = []
  const emulators: Emulator[] = []
  const cleanups: (() => Promise<void>)[] = []
  let offsetMs = 0
  /** The emulator's clock; the workers' clocks move with it (advanceAll). */
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
  afterAll(() => admin.end())

  async function emulator(carrier: 'posti', options: { tokenTtlSeconds?: number } = {}) {
    const e = await startEmulator(carrier, { clock, ...options })
    emulators.push(e)
    return e
  }
  /** This test's own schema, migrated, dropped after it. */
  async function schema() {
    const name = uniqueSchema()
    await migrate(admin, { schema: name })
    cleanups.push(() => dropSchema(admin, name))
    return name
  }
  async function fleet(n: number, config: Omit<Parameters<typeof FleetWorker.start>[0], 'keyPrefix'>) {
    const started = await Promise.all(Array.from({ length: n }, () => FleetWorker.start({ keyPrefix: 'unused:', ...config })))
    workers.push(...started)
    return started
  }
  async function advanceAll(fleet: FleetWorker[], ms: number) {
    offsetMs += ms
    await Promise.all(fleet.map((w) => w.advance(ms)))
  }
  const distinct = (results: BurstResult[]) => new Set(results.flatMap((r) => r.tokens))
  const expectAllSucceeded = (results: BurstResult[], callers: number) => {
    for (const r of results) {
      expect(r.failures).toEqual([])
      expect(r.succeeded).toBe(callers)
    }
  }

  it('should make exactly one token request for 4 processes × 250 concurrent callers on a cold cache, and one more after expiry', async () => {
    const endpoint = await emulator('posti', { tokenTtlSeconds: HOUR_S })
    const processes = await fleet(4, { carrier: 'posti', emulator: endpoint, postgres: { schema: await schema() } })

    const cold = await Promise.all(processes.map((w) => w.burst(250)))
    expectAllSucceeded(cold, 250)
    expect(endpoint.stats.tokenRequests).toBe(1)
    expect(distinct(cold).size).toBe(1)

    await advanceAll(processes, HOUR_S * 1000)
    const expired = await Promise.all(processes.map((w) => w.burst(250)))
    expectAllSucceeded(expired, 250)
    expect(endpoint.stats.tokenRequests).toBe(2)
    expect(distinct(expired).size).toBe(1)
    for (const w of processes) expect(w.events.filter((e) => e.type === 'store_unavailable')).toEqual([])
  }, 60_000)

  it('should rotate a PostFinance refresh token once for the whole fleet, never sending one twice', async () => {
    const endpoint = await startEmulator('postfinance', { clock })
    emulators.push(endpoint)
    const name = await schema()
    // The application connects a customer once; the pair lands in PostgreSQL.
    const connector = createPostFinanceAuth({ ...endpoint.credentials, baseUrl: endpoint.url, clock, store: createPostgresStore({ pool: admin, schema: name }) })
    const redirectUri = 'http://127.0.0.1:8765/callback'
    const { url, state } = connector.authorizeUrl({ redirectUri })
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!)
    const pair = await connector.exchangeCode({ code: back.searchParams.get('code')!, state: back.searchParams.get('state')!, expectedState: state, redirectUri, account: 'shop-42' })

    const processes = await fleet(4, { carrier: 'postfinance', emulator: endpoint, postgres: { schema: name }, account: 'shop-42' })
    for (let round = 1; round <= 3; round++) {
      await advanceAll(processes, 13 * HOUR_S * 1000)
      const results = await Promise.all(processes.map((w) => w.burst(50)))
      expectAllSucceeded(results, 50)
      expect(distinct(results).size).toBe(1)
      expect(distinct(results).has(pair.accessToken)).toBe(false)
      expect(endpoint.stats.refreshTokenUses).toBe(round)
    }
    expect(endpoint.stats.refreshTokenReplays).toBe(0)
  }, 60_000)

  it('should not block the fleet past the lease when the lock holder is killed mid-request', async () => {
    const endpoint = await emulator('posti')
    const name = await schema()
    // The provider's lock is a lease of min(5 s, 2 × (deadline + timeout) = 6 s) it renews while it works.
    const options = { timeoutMs: 1500, retry: { deadlineMs: 1500, maxAttempts: 1 } }
    const [holder] = await fleet(1, { carrier: 'posti', emulator: endpoint, postgres: { schema: name }, options })
    const others = await fleet(3, { carrier: 'posti', emulator: endpoint, postgres: { schema: name }, options })

    endpoint.inject({ type: 'slow', delayMs: 60_000 })
    void holder!.burst(10).catch(() => {})
    await until(() => endpoint.stats.tokenRequests === 1, 5_000, 'the holder has taken the lock and asked for a token')
    // The token's lock, and (Posti locks accounts) the account ledger's lock its login holds meanwhile:
    // the others go on when the later of the two leases runs out.
    const { rows } = await admin.query(
      `SELECT ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000)::int AS left_ms FROM "${name}"."carrier_auth_locks" ORDER BY expires_at DESC`,
    )
    expect(rows).toHaveLength(2)
    const leaseLeftMs = rows[0].left_ms as number
    expect(leaseLeftMs).toBeGreaterThan(0)
    expect(leaseLeftMs).toBeLessThanOrEqual(5000)
    await holder!.kill()
    const killedAt = performance.now()

    const results = await Promise.all(others.map((w) => w.burst(100)))
    const waited = performance.now() - killedAt
    expectAllSucceeded(results, 100)
    expect(distinct(results).size).toBe(1)
    // The others respected the dead holder's lease (no stampede) and went on when it ran out.
    expect(endpoint.stats.tokenRequests).toBe(2)
    expect(waited).toBeGreaterThanOrEqual(leaseLeftMs - 200)
    expect(waited).toBeLessThan(leaseLeftMs + 3000) // generous: a loaded CI machine is slow, never early
  }, 60_000)

  it('should answer every getToken() when its own PostgreSQL is killed mid-run', async () => {
    const server = await startPostgresServer()
    cleanups.push(server.kill)
    const own = quietPool({ port: server.port, database: 'postgres', max: 1 })
    await migrate(own)
    await own.end()
    const endpoint = await emulator('posti', { tokenTtlSeconds: HOUR_S })
    const processes = await fleet(4, { carrier: 'posti', emulator: endpoint, postgres: { schema: 'public', port: server.port, database: 'postgres' }, commandTimeoutMs: 200 })
    const round = () => Promise.all(processes.map((w) => w.burst(50)))

    expectAllSucceeded(await round(), 50)
    expect(endpoint.stats.tokenRequests).toBe(1)
    await advanceAll(processes, HOUR_S * 1000)

    // Mid-run: one process holds the lease and waits on a slow answer, the others wait on the lease.
    endpoint.inject({ type: 'slow', delayMs: 300 })
    const during = round()
    await until(() => endpoint.stats.tokenRequests === 2, 5_000, 'the lease holder has asked for a token')
    await server.kill()
    expectAllSucceeded(await during, 50)
    // Without the store, each process falls back to its own single flight: one request each at most.
    expect(endpoint.stats.tokenRequests).toBeLessThanOrEqual(1 + 1 + processes.length)

    const before = endpoint.stats.tokenRequests
    await advanceAll(processes, HOUR_S * 1000)
    expectAllSucceeded(await round(), 50)
    expect(endpoint.stats.tokenRequests - before).toBeLessThanOrEqual(processes.length)
    for (const w of processes) expect(w.events.some((e) => e.type === 'store_unavailable')).toBe(true)
  }, 60_000)
})
