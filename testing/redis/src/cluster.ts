import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Cluster, type ClusterOptions, Redis } from 'ioredis'
import { closedPort } from './index.js'

const run = promisify(execFile)

/** One redis-server of a test cluster. */
export interface ClusterNode {
  port: number
  pid: number
  /** Stops this node at once (SIGKILL): no shutdown, no goodbye to the cluster. */
  kill(): Promise<void>
}

export interface RedisCluster {
  nodes: ClusterNode[]
  /** `host`/`port` pairs for `new Cluster(...)`. */
  startupNodes: { host: string; port: number }[]
  /** A Cluster client on this cluster, quiet about connection errors; disconnected by `stop`. */
  client(options?: ClusterOptions): Cluster
  /** The node that serves `key` as master now. */
  masterOf(key: string): Promise<ClusterNode>
  /** Resolves once the cluster says `cluster_state:ok` and every slot is served (e.g. after a failover). */
  healthy(withinMs?: number): Promise<void>
  /** Stops every node this harness started (by PID) and removes their folders. */
  stop(): Promise<void>
}

const HOST = '127.0.0.1'

/** Ports handed out in this process: two calls of `closedPort` may name the same free port. */
const taken = new Set<number>()
async function freshPort(): Promise<number> {
  for (;;) {
    const port = await closedPort()
    if (!taken.has(port)) {
      taken.add(port)
      return port
    }
  }
}

async function startNode(dir: string): Promise<ClusterNode & { child: ChildProcess }> {
  const port = await freshPort()
  const busPort = await freshPort()
  // prettier-ignore
  const args = [
    '--port', String(port), '--cluster-port', String(busPort), '--bind', HOST,
    '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'),
    // A master that stops answering is failed over after 1 s (the default is 15 s).
    '--cluster-node-timeout', '1000', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no',
  ]
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.once('error', (e) => reject(new Error(`cannot start redis-server (is it on PATH?): ${e.message}`)))
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) resolve()
    })
  })
  child.stdout!.resume()
  child.stderr!.resume()
  return {
    port,
    pid: child.pid!,
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

async function clusterInfo(port: number): Promise<Record<string, string>> {
  const client = new Redis({ host: HOST, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  client.on('error', () => {})
  try {
    await client.connect()
    const text = (await client.call('cluster', 'info')) as string
    return Object.fromEntries(text.split('\r\n').filter(Boolean).map((line) => line.split(':') as [string, string]))
  } catch {
    return {}
  } finally {
    client.disconnect()
  }
}

/**
 * A real Redis Cluster of the test's own: `masters` redis-servers with `--cluster-enabled yes`
 * (each with its own folder and free ports), `replicasPerMaster` replicas each, joined by
 * `redis-cli --cluster create`. Needs `redis-server` and `redis-cli` on PATH.
 */
export async function startRedisCluster(options: { masters?: number; replicasPerMaster?: number } = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3
  const replicas = options.replicasPerMaster ?? 0
  const dirs: string[] = []
  const nodes: (ClusterNode & { child: ChildProcess })[] = []
  const clients: Cluster[] = []
  const stop = async () => {
    for (const c of clients.splice(0)) c.disconnect()
    await Promise.all(nodes.map((n) => n.kill()))
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  }
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const dir = await mkdtemp(join(tmpdir(), 'carrier-auth-redis-cluster-'))
      dirs.push(dir)
      nodes.push(await startNode(dir))
    }
    const addresses = nodes.map((n) => `${HOST}:${n.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 60_000 })
  } catch (error) {
    await stop()
    throw error
  }
  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null)
  const cluster: RedisCluster = {
    nodes,
    startupNodes: nodes.map((n) => ({ host: HOST, port: n.port })),
    client(clientOptions = {}) {
      const client = new Cluster(cluster.startupNodes, { ...clientOptions })
      client.on('error', () => {})
      clients.push(client)
      return client
    },
    async masterOf(key) {
      for (const node of live()) {
        const client = new Redis({ host: HOST, port: node.port, retryStrategy: () => null })
        client.on('error', () => {})
        try {
          const slot = Number(await client.call('cluster', 'keyslot', key))
          const ranges = (await client.call('cluster', 'slots')) as [number, number, [string, number]][]
          const owner = ranges.find(([from, to]) => slot >= from && slot <= to)
          const found = owner && nodes.find((n) => n.port === Number(owner[2][1]))
          if (found) return found
        } catch {
          // this node is down or not ready: ask another
        } finally {
          client.disconnect()
        }
      }
      throw new Error(`no live node knows who serves ${key}`)
    },
    async healthy(withinMs = 30_000) {
      const deadline = performance.now() + withinMs
      for (;;) {
        const infos = await Promise.all(live().map((n) => clusterInfo(n.port)))
        if (infos.every((i) => i.cluster_state === 'ok' && i.cluster_slots_ok === '16384')) return
        if (performance.now() > deadline) throw new Error(`the test cluster is not healthy after ${withinMs} ms: ${JSON.stringify(infos[0])}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    stop,
  }
  try {
    await cluster.healthy()
    if (replicas > 0) await replicasInSync(live().map((n) => n.port), 30_000)
  } catch (error) {
    await stop()
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
