import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import type { Redis, RedisOptions } from 'ioredis'
import { afterAll, afterEach, describe, inject } from 'vitest'

import { closedPort, deleteKeys, quietClient, REDIS_HOST, REDIS_PORT, spawnRedisServer } from '@carrier-auth/testing-redis'

export { closedPort, quietClient, REDIS_HOST, REDIS_PORT }

/** `describe`, skipped (the global setup said why, once) when no Redis runs here. */
export const describeWithRedis = (name: string, body: () => void) => describe.skipIf(!inject('redisAvailable'))(name, body)

/**
 * One admin client for the file, extra clients per test, and a unique key prefix per test whose
 * keys are deleted after it.
 */
export function useRedis() {
  const admin = quietClient({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: true })
  const prefixes: string[] = []
  const clients: Redis[] = []
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect()
    for (const prefix of prefixes.splice(0)) await deleteKeys(admin, prefix)
  })
  afterAll(() => {
    admin.disconnect()
  })
  return {
    admin,
    /** A new client on the test Redis (or elsewhere), disconnected after the test. */
    client(options: RedisOptions = {}): Redis {
      const client = quietClient({ host: REDIS_HOST, port: REDIS_PORT, ...options })
      clients.push(client)
      return client
    },
    /** A key prefix no other test uses. */
    prefix(): string {
      const prefix = `carrier-auth-test:${randomUUID()}:`
      prefixes.push(prefix)
      return prefix
    },
    /** Every key under a prefix, with its raw value, as an operator would see them. */
    async dump(prefix: string): Promise<Record<string, unknown>> {
      const out: Record<string, unknown> = {}
      const keys = await admin.keys(`${prefix}*`)
      for (const key of keys) {
        const type = await admin.type(key)
        out[key] = type === 'hash' ? await admin.hgetall(key) : await admin.get(key)
      }
      return out
    },
  }
}

/** A TCP server that accepts connections and never answers (a hung Redis). */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Waits for a condition that real time (a Redis TTL) makes true; fails after `withinMs`. */
export async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const until = performance.now() + withinMs
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`condition not met within ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * A redis-server of this test's own, on a free port (to kill or pause without touching the shared
 * one): testing/redis's, whose SIGKILL also ends one a test left SIGSTOPped.
 */
export async function startRedisServer(): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const server = await spawnRedisServer(await closedPort())
  return { port: server.port, pid: server.pid, stop: server.kill }
}
