// One fleet instance on a Redis Cluster, in its own process: a carrier provider on the BUILT
// packages with its own ioredis Cluster client and Redis store. The parent drives it over IPC:
//   { type: 'burst', id, callers }  → callers concurrent getToken(); answers what they got
//   { type: 'advance', id, ms }     → moves this process's clock (the fleet's clocks move together)
//   { type: 'exit' }
import { createPostFinanceAuth } from '@carrier-auth/postfinance'
import { createPostiAuth } from '@carrier-auth/posti'
import { createRedisStore } from '@carrier-auth/redis'
import { Cluster } from 'ioredis'

const factories = { posti: createPostiAuth, postfinance: createPostFinanceAuth }
const config = JSON.parse(process.env.CLUSTER_WORKER ?? '{}')
let offsetMs = config.offsetMs ?? 0
const clock = { now: () => Date.now() + offsetMs }

const client = new Cluster(config.startupNodes, { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: null } })
client.on('error', () => {}) // the store reports failures as events
const store = createRedisStore({ client, keyPrefix: config.keyPrefix, clock })
const provider = factories[config.carrier]({
  ...config.credentials,
  baseUrl: config.url,
  clock,
  store,
  onEvent(event) {
    if (event.type === 'token_requested' || event.type === 'store_unavailable') {
      process.send?.({ type: 'event', event: { type: event.type, operation: event.operation, code: event.error?.code } })
    }
  },
})
const auth = config.account ? provider.forAccount(config.account) : provider

process.on('message', async (message) => {
  if (message.type === 'burst') {
    const outcomes = await Promise.allSettled(Array.from({ length: message.callers }, () => auth.getToken()))
    const tokens = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value.accessToken)
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason?.code ?? o.reason))
    process.send?.({ id: message.id, tokens: [...new Set(tokens)], succeeded: tokens.length, failures })
  } else if (message.type === 'advance') {
    offsetMs += message.ms
    process.send?.({ id: message.id })
  } else if (message.type === 'exit') {
    client.disconnect()
    process.exit(0)
  }
})
process.send?.({ type: 'ready' })
