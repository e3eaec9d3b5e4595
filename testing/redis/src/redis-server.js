import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

// Plain JavaScript (types in redis-server.d.ts) and no ioredis: the conformance matrix bundles this
// file for its Redis Cluster cells (a user of conformance may have no ioredis), and `pnpm bench`
// runs it under plain Node.

/** A port on 127.0.0.1 that nothing listens on (for a Redis that is down, or a server to start). */
export async function closedPort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(() => resolve()))
  return port
}

/** Ports handed out in this process: two calls of `closedPort` may name the same free port. */
const taken = new Set()
export async function freshPort() {
  for (;;) {
    const port = await closedPort()
    if (!taken.has(port)) {
      taken.add(port)
      return port
    }
  }
}

/** Every server started here and not yet killed: stopped by PID if this process exits first. */
const running = new Set()
let exitHookSet = false
function stopAllOnExit() {
  if (exitHookSet) return
  exitHookSet = true
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

/** Starts `redis-server` on `port` (in the foreground, nothing saved) and resolves once it accepts connections. */
export async function spawnRedisServer(port, extraArgs = []) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs]
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  stopAllOnExit()
  running.add(child)
  const exited = new Promise((resolve) =>
    child.once('exit', () => {
      running.delete(child)
      resolve()
    }),
  )
  await new Promise((resolve, reject) => {
    let out = ''
    child.once('error', (e) => reject(new Error(`cannot start redis-server (is it on PATH?): ${e.message}`)))
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)))
    child.stdout.on('data', (chunk) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) resolve()
    })
  })
  child.stdout.resume()
  child.stderr.resume()
  const alive = () => child.exitCode === null && child.signalCode === null
  return {
    port,
    pid: child.pid,
    child,
    alive,
    async kill() {
      if (alive()) child.kill('SIGKILL')
      await exited
    },
  }
}
