// One contender at one size, in a process of its own (RSS is per process): creation, warm-up,
// heap and RSS per account, round-robin getToken(), memory after the accounts are dropped.
// argv: contender N port
import { createPostiAuth } from '@carrier-auth/posti'

const [contender, nText, port] = process.argv.slice(2)
const N = Number(nText)
const baseUrl = `http://127.0.0.1:${port}`
const gc = () => {
  globalThis.gc()
  globalThis.gc()
}
const credentials = Array.from({ length: N }, (_, i) => ({ username: `merchant-${i}`, password: `password-of-merchant-${i}` }))

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

/** Warms every account with at most 16 requests in flight (carrier-auth's default cap, for both). */
async function warm(providers) {
  let next = 0
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < providers.length) await providers[next++].getToken()
  }))
}

gc()
const heap0 = process.memoryUsage().heapUsed
const rss0 = process.memoryUsage().rss
let client = contender === 'carrier-auth' ? createPostiAuth.accounts({ baseUrl, maxAccounts: N }) : mapAndFetch()
let t = process.hrtime.bigint()
let providers = credentials.map((c) => client.account(c))
const createUs = Number(process.hrtime.bigint() - t) / 1000 / N
t = process.hrtime.bigint()
await warm(providers)
const warmMs = Number(process.hrtime.bigint() - t) / 1e6
gc()
const heapPer = (process.memoryUsage().heapUsed - heap0) / N
const rss = process.memoryUsage().rss - rss0

// Round-robin: each account asked through account(credentials), as a server does per request.
const rounds = Math.max(1, Math.floor(200_000 / N))
t = process.hrtime.bigint()
for (let r = 0; r < rounds; r++) for (let i = 0; i < N; i++) await client.account(credentials[i]).getToken()
const roundRobinNs = Number(process.hrtime.bigint() - t) / (rounds * N)
// Its floor: a Map lookup per account, awaited the same way.
const map = new Map(credentials.map((c) => [c.username, { accessToken: 'x' }]))
const lookup = async (c) => map.get(c.username)
t = process.hrtime.bigint()
for (let r = 0; r < rounds; r++) for (let i = 0; i < N; i++) await lookup(credentials[i])
const mapNs = Number(process.hrtime.bigint() - t) / (rounds * N)

providers = undefined
client = undefined
await new Promise((r) => setTimeout(r, 50))
gc()
const heapAfterDrop = process.memoryUsage().heapUsed - heap0
console.log(JSON.stringify({ contender, N, createUs, warmMs, heapPer, rssPer: rss / N, rssMb: rss / 2 ** 20, roundRobinNs, mapNs, heapAfterDropKb: heapAfterDrop / 1024 }))
