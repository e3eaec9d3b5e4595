import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

// Nothing here imports ioredis: the conformance matrix bundles this file (its cluster cells start
// redis-servers), and a user of the conformance package may have no ioredis.

/** A port on 127.0.0.1 that nothing listens on (for a Redis that is down, or a server to start). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Ports handed out in this process: two calls of `closedPort` may name the same free port. */
const taken = new Set<number>()
export async function freshPort(): Promise<number> {
  for (;;) {
    const port = await closedPort()
    if (!taken.has(port)) {
      taken.add(port)
      return port
    }
  }
}

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

/** Every server started here and not yet killed: stopped by PID if this process exits first. */
const running = new Set<ChildProcess>()
let exitHookSet = false
function stopAllOnExit(): void {
  if (exitHookSet) return
  exitHookSet = true
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

/** Starts `redis-server` on `port` (in the foreground, nothing saved) and resolves once it accepts connections. */
export async function spawnRedisServer(port: number, extraArgs: string[] = []): Promise<RedisServerProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs]
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  stopAllOnExit()
  running.add(child)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child)
      resolve()
    }),
  )
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
  const alive = () => child.exitCode === null && child.signalCode === null
  return {
    port,
    pid: child.pid!,
    child,
    alive,
    async kill() {
      if (alive()) child.kill('SIGKILL')
      await exited
    },
  }
}
