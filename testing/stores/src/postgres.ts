import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** The PostgreSQL every suite uses: the machine's, which `.ci/run` makes sure is running. */
export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' }

/** A pool on the shared PostgreSQL that stays quiet about idle-client errors (the store reports failures itself). */
export function quietPool(options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...POSTGRES, max: 4, ...options })
  pool.on('error', () => {})
  return pool
}

/** Why no PostgreSQL can be used here, or undefined when one can. */
export async function postgresMissing(): Promise<string | undefined> {
  const client = new pg.Client({ ...POSTGRES, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `no PostgreSQL answers on ${POSTGRES.host}:${POSTGRES.port} (database "${POSTGRES.database}", user "${POSTGRES.user}": ${error instanceof Error ? error.message : String(error)})`
  } finally {
    await client.end().catch(() => {})
  }
}

/** One loud line for a skip; with CARRIER_AUTH_REQUIRE_POSTGRES=1 (CI) a failure instead. */
export function skipOrFailPostgres(suite: string, missing: string): void {
  if (process.env.CARRIER_AUTH_REQUIRE_POSTGRES === '1') throw new Error(`CARRIER_AUTH_REQUIRE_POSTGRES=1 but ${missing}.`)
  console.warn(`\n!!! SKIPPING ${suite}: ${missing}. Start one, or set CARRIER_AUTH_REQUIRE_POSTGRES=1 to fail instead. !!!\n`)
}

/** A schema name no other test run uses. */
export function uniqueSchema(): string {
  return `carrier_auth_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`
}

/** Drops a test's schema and everything in it. */
export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  if (!/^carrier_auth_test_[a-z0-9]+$/.test(schema)) throw new Error(`not a test schema: ${schema}`)
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A TCP server that accepts connections and never answers: a PostgreSQL that hangs. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

const PG_BIN = (() => {
  const found = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim()
  return found || '/usr/lib/postgresql/15/bin'
})()

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary folder, on a free port, trust
 * auth), to stop mid-run, or to start late on a port a pool already points at. It runs as the `postgres` user when the test runs as root (PostgreSQL
 * refuses root). `kill()` stops only this server, by its PID.
 */
export async function startPostgresServer(options: { port?: number } = {}): Promise<{ port: number; kill(): Promise<void> }> {
  const port = options.port ?? (await closedPort())
  const dir = mkdtempSync(join(tmpdir(), 'carrier-auth-pg-'))
  const asRoot = process.getuid?.() === 0
  const as = (args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0]!, args.slice(1)]) as [string, string[]]
  if (asRoot) spawnSync('chown', ['postgres', dir])
  const init = spawnSync(...as([join(PG_BIN, 'initdb'), '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']), { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`initdb failed: ${(init.stderr || init.stdout).slice(-400)}`)
  const [command, args] = as([join(PG_BIN, 'postgres'), '-D', join(dir, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off'])
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 20_000
  for (;;) {
    const probe = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.end()
      break
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start on ${port}: ${log.slice(-400)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    port,
    async kill() {
      // runuser forwards the signal to postgres; SIGKILL on the wrapper would orphan it, so the
      // postmaster's own PID (from its pid file) is signalled.
      const pid = Number(spawnSync('head', ['-1', join(dir, 'data', 'postmaster.pid')], { encoding: 'utf8' }).stdout.trim())
      if (Number.isSafeInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {}
      }
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
