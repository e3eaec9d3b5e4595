import type { ChildProcess } from 'node:child_process'

/** A port on 127.0.0.1 that nothing listens on (for a Redis that is down, or a server to start). */
export function closedPort(): Promise<number>
/** A free port no other call in this process was handed. */
export function freshPort(): Promise<number>

/** A redis-server child process of the caller's own. */
export interface RedisServerProcess {
  port: number
  pid: number
  child: ChildProcess
  /** Whether it still runs. */
  alive(): boolean
  /** Stops it at once (SIGKILL): no shutdown, no goodbye to a cluster. */
  kill(): Promise<void>
}

/** Starts `redis-server` on `port` (in the foreground, nothing saved) and resolves once it accepts connections. */
export function spawnRedisServer(port: number, extraArgs?: string[]): Promise<RedisServerProcess>
