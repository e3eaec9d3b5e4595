import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freshPort, spawnRedisServer } from './redis-server.js'

// The processes of a test Redis Cluster, with redis-server and redis-cli only (no ioredis; plain
// JavaScript, types in cluster-nodes.d.ts): the conformance matrix bundles it for its Redis Cluster
// cells, `pnpm bench` runs it under plain Node, and `startRedisCluster` adds ioredis clients.

const run = promisify(execFile)
const HOST = '127.0.0.1'

async function clusterInfo(port) {
  try {
    const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), 'cluster', 'info'], { timeout: 5000 })
    return Object.fromEntries(stdout.split(/\r?\n/).filter(Boolean).map((line) => line.split(':')))
  } catch {
    return {}
  }
}

/**
 * `masters` redis-servers with `--cluster-enabled yes` (each with its own folder and free ports),
 * `replicasPerMaster` replicas each, joined by `redis-cli --cluster create`, healthy when it resolves.
 */
export async function startClusterNodes(options = {}) {
  const masters = options.masters ?? 3
  const replicas = options.replicasPerMaster ?? 0
  const dirs = []
  const nodes = []
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.kill()))
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  }
  const live = () => nodes.filter((n) => n.alive())
  const cluster = {
    nodes,
    startupNodes: [],
    async healthy(withinMs = 30_000) {
      const deadline = performance.now() + withinMs
      for (;;) {
        const infos = await Promise.all(live().map((n) => clusterInfo(n.port)))
        if (infos.every((i) => i.cluster_state === 'ok' && i.cluster_slots_ok === '16384')) return
        if (performance.now() > deadline) throw new Error(`the test cluster is not healthy after ${withinMs} ms: ${JSON.stringify(infos[0])}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    stop,
  }
  try {
    // One node after another: a loaded machine starts them no faster in parallel, and ports stay distinct.
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const dir = await mkdtemp(join(tmpdir(), 'carrier-auth-redis-cluster-'))
      dirs.push(dir)
      const [port, busPort] = [await freshPort(), await freshPort()]
      // prettier-ignore
      nodes.push(await spawnRedisServer(port, [
        '--cluster-port', String(busPort), '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'),
        // A master that stops answering is failed over after 1 s (the default is 15 s).
        '--cluster-node-timeout', '1000', '--dir', dir,
      ]))
    }
    cluster.startupNodes.push(...nodes.map((n) => ({ host: HOST, port: n.port })))
    const addresses = nodes.map((n) => `${HOST}:${n.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 60_000 })
    await cluster.healthy()
  } catch (error) {
    await stop()
    throw error
  }
  return cluster
}
export { closedPort } from './redis-server.js'
