// One contender at one size, in a process of its own (RSS is per process): creation, warm-up,
// heap and RSS per account, round-robin getToken(), memory after the accounts are dropped, and
// again once a day has passed on the clock.
// argv: contender N port
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client'
import { createPostiAuth } from '@carrier-auth/posti'

const [contender, nText, port] = process.argv.slice(2)
const N = Number(nText)
/** Requests in flight while warming, the same for every contender (carrier-auth's default cap). */
const IN_FLIGHT = 16
const DAY = 24 * 3_600_000
const baseUrl = `http://127.0.0.1:${port}`
const gc = () => {
  globalThis.gc()
  globalThis.gc()
}
const credentialsOf = (n, prefix) => Array.from({ length: n }, (_, i) => ({ username: `${prefix}-${i}`, password: `password-of-${prefix}-${i}` }))

/** A Map + plain fetch: the floor any multi-account cache is measured against. */
function mapAndFetch() {
  const tokens = new Map()
  return {
    account(c) {
      return {
        async getToken() {
          const cached = tokens.get(c.username)
          if (cached && Date.now() < cached.expiresAt) return cached
          const res = await fetch(`${baseUrl}/auth/token`, { method: 'POST', headers: { authorization: `Basic ${btoa(`${c.username}:${c.password}`)}` } })
          const body = await res.json()
          const token = { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }
          tokens.set(c.username, token)
          return token
        },
      }
    },
  }
}

/** @badgateway/oauth2-client as a platform would use it: one OAuth2Fetch per account, kept in a Map. */
function oauth2Fetch() {
  const kept = new Map()
  return {
    account(c) {
      let f = kept.get(c.username)
      if (!f) {
        const client = new OAuth2Client({ server: baseUrl, tokenEndpoint: '/auth/token', clientId: c.username, clientSecret: c.password, authenticationMethod: 'client_secret_basic_interop' })
        f = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() })
        kept.set(c.username, f)
      }
      return f
    },
  }
}

/** The client's clock: the system's, or (for the day after) one a day ahead of it. */
let skew = 0
const clock = { now: () => Date.now() + skew }
const build = (withClock) => {
  if (contender === 'carrier-auth') return createPostiAuth.accounts({ baseUrl, maxAccounts: N, ...(withClock ? { clock } : {}) })
  if (contender === 'OAuth2Fetch') return oauth2Fetch()
  return mapAndFetch()
}

/** Warms every account with at most IN_FLIGHT requests in flight. */
async function warm(providers) {
  let next = 0
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < providers.length) await providers[next++].getToken()
    }),
  )
}

/**
 * One whole cycle over `credentials`: build, warm, round-robin, drop, a day on the clock. Run
 * once on a few accounts first, so the baseline is a process that has been through it (the
 * library loaded, every code path compiled): what stays beyond that baseline is what accounts left.
 */
async function cycle(credentials, day) {
  const n = credentials.length
  await new Promise((r) => setTimeout(r, 50))
  gc()
  const heap0 = process.memoryUsage().heapUsed
  const rss0 = process.memoryUsage().rss
  let client = build(false)
  let t = process.hrtime.bigint()
  let providers = credentials.map((c) => client.account(c))
  const createUs = Number(process.hrtime.bigint() - t) / 1000 / n
  t = process.hrtime.bigint()
  await warm(providers)
  const warmMs = Number(process.hrtime.bigint() - t) / 1e6
  gc()
  const heapPer = (process.memoryUsage().heapUsed - heap0) / n
  const rss = process.memoryUsage().rss - rss0

  // Round-robin: each account asked through account(credentials), as a server does per request.
  const rounds = Math.max(2, Math.floor(400_000 / n))
  const roundRobin = async () => {
    const started = process.hrtime.bigint()
    for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) await client.account(credentials[i]).getToken()
    return Number(process.hrtime.bigint() - started) / (rounds * n)
  }
  // Its floor: a Map lookup per account, awaited the same way.
  const map = new Map(credentials.map((c) => [c.username, { accessToken: 'x' }]))
  const lookup = async (c) => map.get(c.username)
  const mapLoop = async () => {
    const started = process.hrtime.bigint()
    for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) await lookup(credentials[i])
    return Number(process.hrtime.bigint() - started) / (rounds * n)
  }
  // Interleaved, best of three each: the two loops see the same machine load.
  const rr = []
  const ml = []
  for (let k = 0; k < 3; k++) {
    rr.push(await roundRobin())
    ml.push(await mapLoop())
  }
  map.clear()

  providers = undefined
  client = undefined
  await new Promise((r) => setTimeout(r, 50))
  gc()
  const heapAfterDrop = process.memoryUsage().heapUsed - heap0

  // A day later by the clock: the next client's first account sweeps what the process remembers.
  skew += DAY
  let next = build(true)
  await next.account({ username: `next-day-${day}`, password: 'password-of-next-day' }).getToken()
  next = undefined
  await new Promise((r) => setTimeout(r, 50))
  gc()
  const heapAfterDay = process.memoryUsage().heapUsed - heap0
  return { createUs, warmMs, heapPer, rssPer: rss / n, rssMb: rss / 2 ** 20, roundRobinNs: Math.min(...rr), mapNs: Math.min(...ml), heapAfterDropKb: heapAfterDrop / 1024, heapAfterDayKb: heapAfterDay / 1024, baselineKb: heap0 / 1024 }
}

const rehearsal = credentialsOf(Math.min(N, 100), 'rehearsal')
await cycle(rehearsal, 0)
rehearsal.length = 0
const result = await cycle(credentialsOf(N, 'merchant'), 1)
const registrySize = (name) => globalThis[Symbol.for(name)]?.size ?? 0
const left = { ledger: registrySize('@carrier-auth/core.account-ledger.v1'), verified: registrySize('@carrier-auth/core.verified-secrets.v1') }
if (process.env.BENCH_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.BENCH_SNAPSHOT)
console.log(JSON.stringify({ contender, N, ...result, left }))
process.exit(0)
