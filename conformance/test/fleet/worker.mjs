// One instance of a fleet, in its own process: a carrier provider on the BUILT packages, with its
// own ioredis client and Redis store (a Cluster client on config.cluster's startup nodes, or a
// Redis on config.redisPort), its own pg Pool and PostgreSQL store (config.postgres), or its own
// FileStore on a file every worker shares (config.file).
// The parent test drives it over IPC:
//   { type: 'burst', id, callers }  → callers concurrent getToken(); answers the tokens it got
//   { type: 'advance', id, ms }     → moves this process's clock (the fleet's clocks move together)
//   { type: 'probe', id }         → whether this process's store answers now
//   { type: 'exit' }
// and hears { type: 'event', event } for token requests and store failures as they happen.
import { createRequire } from 'node:module'
import { FileStore } from '@carrier-auth/core/file-store'
import { createPostgresStore } from '@carrier-auth/postgres'
import { createRedisStore } from '@carrier-auth/redis'
import { Cluster, Redis } from 'ioredis'
import pg from 'pg'

const config = JSON.parse(process.env.FLEET_WORKER ?? '{}')
// The carrier's factory, as its package.json names it ("carrier-auth".factory): any carrier package.
const { factory } = createRequire(import.meta.url)(`@carrier-auth/${config.carrier}/package.json`)['carrier-auth']
const factories = { [config.carrier]: (await import(`@carrier-auth/${config.carrier}`))[factory] }
let offsetMs = config.offsetMs ?? 0
const clock = { now: () => Date.now() + offsetMs }

function redisClient() {
  if (config.cluster) return new Cluster(config.cluster, { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: null } })
  return new Redis({ host: '127.0.0.1', port: config.redisPort, retryStrategy: () => 50, maxRetriesPerRequest: null })
}

// The stores' own default (500 ms) is for production; these tests judge sharing and leases, and on
// this 2-core machine under a load average of 40 a healthy PostgreSQL query took longer than that, so
// a process fell back to its own token request. A test that wants a short timeout passes its own.
const STORE_TIMEOUT_MS = 2_000

function redisStore() {
  const client = redisClient()
  client.on('error', () => {}) // the store reports failures as events; ioredis need not print them
  const store = createRedisStore({ client, keyPrefix: config.keyPrefix, clock, commandTimeoutMs: config.commandTimeoutMs ?? STORE_TIMEOUT_MS })
  return { store, close: () => client.disconnect() }
}

function postgresStore({ schema, port, database }) {
  const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database, max: 4 })
  pool.on('error', () => {}) // the store reports failures as events
  const store = createPostgresStore({ pool, schema, queryTimeoutMs: config.commandTimeoutMs ?? STORE_TIMEOUT_MS })
  return { store, close: () => pool.end().catch(() => {}) }
}

function fileStore(path) {
  return { store: new FileStore({ path, clock }), close: async () => {} }
}

const { store, close } = config.file ? fileStore(config.file) : config.postgres ? postgresStore(config.postgres) : redisStore()
const client_ = factories[config.carrier]({
  ...config.credentials,
  baseUrl: config.url,
  clock,
  store,
  ...config.options,
  onEvent(event) {
    if (['token_requested', 'store_unavailable', 'token_acquired', 'refresh_token_rejected'].includes(event.type)) {
      process.send?.({ type: 'event', event: { type: event.type, source: event.source, operation: event.operation, code: event.error?.code, why: event.why } })
    }
  },
})

// A connected customer account (authorization code, rotating refresh tokens), or the client itself.
const auth = config.account ? client_.forAccount(config.account) : client_

process.on('message', async (message) => {
  if (message.type === 'burst') {
    const started = performance.now()
    const outcomes = await Promise.allSettled(Array.from({ length: message.callers }, () => auth.getToken()))
    const tokens = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value.accessToken)
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason?.code ?? o.reason))
    process.send?.({ type: 'burst-done', id: message.id, tokens: [...new Set(tokens)], succeeded: tokens.length, failures, ms: performance.now() - started })
  } else if (message.type === 'advance') {
    offsetMs += message.ms
    process.send?.({ type: 'advanced', id: message.id })
  } else if (message.type === 'probe') {
    const ok = await store.getMarker('carrier-auth-probe').then(() => true, () => false)
    process.send?.({ type: 'probed', id: message.id, ok })
  } else if (message.type === 'exit') {
    await close()
    process.exit(0)
  }
})

process.send?.({ type: 'ready' })
