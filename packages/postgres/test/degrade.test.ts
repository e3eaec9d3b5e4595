import { createManualClock, type CarrierAuthEvent } from '@carrier-auth/core'
import { afterEach, expect, it } from 'vitest'
import { createPostgresStore, migrate, PostgresStoreError } from '../src/index.js'
import { closedPort, describeWithPostgres, quietPool, silentServer, startPostgresServer, useSchema } from './support/postgres.js'
import { startTokenServer, testAuth } from '@carrier-auth/testing-token-server'

const HOUR = 3_600_000

/** Resolves once `check` holds, looking again every 10 ms (bounded). */
async function until(check: () => Promise<boolean>, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
const storeErrors = (events: CarrierAuthEvent[]) =>
  events.flatMap((e) => (e.type === 'store_unavailable' ? [{ operation: e.operation, code: (e.error as PostgresStoreError).code }] : []))

describeWithPostgres('a provider on a PostgreSQL store that is down or slow', () => {
  const db = useSchema()
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  async function endpoint() {
    const server = await startTokenServer()
    cleanups.push(server.close)
    return server
  }

  it('should serve 100 concurrent callers with one request when PostgreSQL refuses connections, reporting store_unavailable', async () => {
    const server = await endpoint()
    const pool = quietPool({ port: await closedPort() })
    cleanups.push(() => pool.end())
    const events: CarrierAuthEvent[] = []
    const auth = testAuth(server, { store: createPostgresStore({ pool }), onEvent: (e) => events.push(e) })
    const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken()))
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(server.stats.tokenRequests).toBe(1)
    expect(storeErrors(events).length).toBeGreaterThan(0)
    expect(new Set(storeErrors(events).map((e) => e.code))).toEqual(new Set(['unavailable']))
  })

  it('should give up on a PostgreSQL that accepts connections and never answers, with timeout errors, and still serve the token', async () => {
    const server = await endpoint()
    const silent = await silentServer()
    const pool = quietPool({ port: silent.port })
    cleanups.push(() => pool.end().catch(() => {}))
    // First (cleanups run newest first): closing the server ends the pool's hanging connect.
    cleanups.push(silent.close)
    const events: CarrierAuthEvent[] = []
    const store = createPostgresStore({ pool, queryTimeoutMs: 200 })
    const auth = testAuth(server, { store, onEvent: (e) => events.push(e) })
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.getToken()))
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(server.stats.tokenRequests).toBe(1)
    expect(storeErrors(events)[0]).toEqual({ operation: 'get', code: 'timeout' })
    // One timeout, then the calls after it fail fast instead of each waiting again.
    expect(store.stats.timeouts).toBe(1)
    expect(store.stats.failedFast).toBeGreaterThan(0)
  })

  it('should time out waiting for a pooled connection, and give that connection back to the pool when it comes', async () => {
    await db.ready()
    const pool = db.pool({ max: 1 })
    const store = createPostgresStore({ pool, schema: db.schema, queryTimeoutMs: 100 })
    const busy = await pool.connect()
    const error = await store.get('k').catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'PostgresStoreError', code: 'timeout', operation: 'get' })
    busy.release()
    // The late connection went back unused: after the suspension the store works on the same one-connection pool.
    const later = createPostgresStore({ pool, schema: db.schema, queryTimeoutMs: 5000 })
    expect(await later.set('k', { accessToken: 'after-the-wait', expiresAt: Date.now() + HOUR, issuedAt: Date.now() }, HOUR)).toBeGreaterThan(0)
    expect(pool.totalCount).toBe(1)
  })

  it('should keep getToken() working when its own PostgreSQL is killed mid-run, and report the outage', async () => {
    const server = await endpoint()
    const postgres = await startPostgresServer()
    cleanups.push(postgres.kill)
    const pools = [0, 1].map(() => quietPool({ port: postgres.port, database: 'postgres', max: 2 }))
    cleanups.push(() => Promise.all(pools.map((p) => p.end().catch(() => {}))).then(() => {}))
    await migrate(pools[0]!)
    const clock = createManualClock(Date.now())
    const events: CarrierAuthEvent[] = []
    const [a, b] = pools.map((pool) => testAuth(server, { clock, store: createPostgresStore({ pool, queryTimeoutMs: 300 }), onEvent: (e) => events.push(e) }))

    // Healthy: the second instance reads the first one's token from PostgreSQL.
    const first = await a!.getToken()
    expect((await b!.getToken()).accessToken).toBe(first.accessToken)
    expect(server.stats.tokenRequests).toBe(1)

    await postgres.kill()
    clock.advance(HOUR)
    const during = await Promise.all([a!, b!].flatMap((auth) => Array.from({ length: 50 }, () => auth.getToken())))
    expect(during.every((t) => t.accessToken !== first.accessToken)).toBe(true)
    // Without the store each instance falls back to its own single flight: one request each at most.
    expect(server.stats.tokenRequests).toBeLessThanOrEqual(3)
    expect(storeErrors(events).length).toBeGreaterThan(0)
  })

  it('should reject a query in flight when PostgreSQL dies under it, without an unheard client error ending the process', async () => {
    const postgres = await startPostgresServer()
    cleanups.push(postgres.kill)
    const pool = quietPool({ port: postgres.port, database: 'postgres', max: 1 })
    const blocker = quietPool({ port: postgres.port, database: 'postgres', max: 1 })
    cleanups.push(() => Promise.all([pool.end().catch(() => {}), blocker.end().catch(() => {})]).then(() => {}))
    await migrate(pool)
    const store = createPostgresStore({ pool, queryTimeoutMs: 10_000 })
    // Another session holds the tokens table, so the store's write waits on the server, in flight.
    const holder = await blocker.connect()
    holder.on('error', () => {})
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE carrier_auth_tokens IN ACCESS EXCLUSIVE MODE')
    const write = store.set('k', { accessToken: 'in-flight', expiresAt: Date.now() + HOUR, issuedAt: Date.now() }, HOUR).catch((e: unknown) => e)
    await until(async () => (await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n === 1)
    await postgres.kill()
    expect(await write).toMatchObject({ name: 'PostgresStoreError', code: 'unavailable', operation: 'set' })
    holder.release(true)
  })

  it('should use PostgreSQL again, without a restart of the app, once it comes up', async () => {
    const server = await endpoint()
    const port = await closedPort()
    const pool = quietPool({ port, database: 'postgres', max: 2 })
    cleanups.push(() => pool.end().catch(() => {}))
    const events: CarrierAuthEvent[] = []
    const store = createPostgresStore({ pool, queryTimeoutMs: 300 })
    const clock = createManualClock(Date.now())
    const auth = testAuth(server, { clock, store, onEvent: (e) => events.push(e) })
    await auth.getToken()
    expect(storeErrors(events).length).toBeGreaterThan(0)

    const postgres = await startPostgresServer({ port })
    cleanups.push(postgres.kill)
    await migrate(pool)
    // The store stops failing fast within its 1 s suspension; bounded, real time.
    await until(async () => (await store.getMarker('probe').then(() => true, () => false)))
    clock.advance(HOUR)
    const fresh = await auth.getToken()
    const later = testAuth(server, { clock, store: createPostgresStore({ pool }) })
    expect((await later.getToken()).accessToken).toBe(fresh.accessToken)
    expect(server.stats.tokenRequests).toBe(2)
  })
})
