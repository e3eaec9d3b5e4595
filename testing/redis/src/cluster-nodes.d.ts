import type { RedisServerProcess } from './redis-server.js'

export { closedPort } from './redis-server.js'

/** The processes of a test Redis Cluster. */
export interface ClusterNodes {
  nodes: RedisServerProcess[]
  /** `host`/`port` pairs for `new Cluster(...)`. */
  startupNodes: { host: string; port: number }[]
  /** Resolves once every live node says `cluster_state:ok` and every slot is served (e.g. after a failover). */
  healthy(withinMs?: number): Promise<void>
  /** Stops every node started here (SIGKILL by PID) and removes their folders. */
  stop(): Promise<void>
}

/**
 * `masters` redis-servers with `--cluster-enabled yes` (each with its own folder and free ports),
 * `replicasPerMaster` replicas each, joined by `redis-cli --cluster create`, healthy when it resolves.
 */
export function startClusterNodes(options?: { masters?: number; replicasPerMaster?: number }): Promise<ClusterNodes>
