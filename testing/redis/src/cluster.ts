import { Cluster, type ClusterOptions, Redis } from 'ioredis'
import { type ClusterNodes, startClusterNodes } from './cluster-nodes.js'

const HOST = '127.0.0.1'

/** One redis-server of a test cluster. */
export interface ClusterNode {
  port: number
  pid: number
  /** Stops this node at once (SIGKILL): no shutdown, no goodbye to the cluster. */
  kill(): Promise<void>
}

export interface RedisCluster extends ClusterNodes {
  /** A Cluster client on this cluster, quiet about connection errors; disconnected by `stop`. */
  client(options?: ClusterOptions): Cluster
  /** The node that serves `key` as master now. */
  masterOf(key: string): Promise<ClusterNode>
}

/**
 * A real Redis Cluster of the test's own (`startClusterNodes`: `masters` redis-servers with
 * `--cluster-enabled yes`, `replicasPerMaster` replicas each, joined by `redis-cli --cluster
 * create`), with ioredis clients on it. Needs `redis-server` and `redis-cli` on PATH.
 */
export async function startRedisCluster(options: { masters?: number; replicasPerMaster?: number } = {}): Promise<RedisCluster> {
  const nodes = await startClusterNodes(options)
  const clients: Cluster[] = []
  const cluster: RedisCluster = {
    ...nodes,
    client(clientOptions = {}) {
      const client = new Cluster(nodes.startupNodes, { ...clientOptions })
      client.on('error', () => {})
      clients.push(client)
      return client
    },
    async masterOf(key) {
      for (const node of nodes.nodes.filter((n) => n.alive())) {
        const client = new Redis({ host: HOST, port: node.port, retryStrategy: () => null })
        client.on('error', () => {})
        try {
          const slot = Number(await client.call('cluster', 'keyslot', key))
          const ranges = (await client.call('cluster', 'slots')) as [number, number, [string, number]][]
          const owner = ranges.find(([from, to]) => slot >= from && slot <= to)
          const found = owner && nodes.nodes.find((n) => n.port === Number(owner[2][1]))
          if (found) return found
        } catch {
          // this node is down or not ready: ask another
        } finally {
          client.disconnect()
        }
      }
      throw new Error(`no live node knows who serves ${key}`)
    },
    async stop() {
      for (const c of clients.splice(0)) c.disconnect()
      await nodes.stop()
    },
  }
  try {
    if ((options.replicasPerMaster ?? 0) > 0) await replicasInSync(nodes.startupNodes.map((n) => n.port), 30_000)
  } catch (error) {
    await cluster.stop()
    throw error
  }
  return cluster
}

/** Waits until every replica's link to its master is up (so a failover has data to keep). */
async function replicasInSync(ports: number[], withinMs: number): Promise<void> {
  const deadline = performance.now() + withinMs
  for (const port of ports) {
    const client = new Redis({ host: HOST, port, retryStrategy: () => null })
    client.on('error', () => {})
    try {
      for (;;) {
        const info = await client.info('replication')
        if (!info.includes('role:slave') || info.includes('master_link_status:up')) break
        if (performance.now() > deadline) throw new Error(`replica ${port} did not sync within ${withinMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    } finally {
      client.disconnect()
    }
  }
}
