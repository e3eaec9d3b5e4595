import { dropSchema, quietPool, uniqueSchema } from '@carrier-auth/testing-stores'
import type pg from 'pg'
import { afterAll, describe, inject } from 'vitest'
import { migrate } from '../../src/index.js'

export { closedPort, quietPool, silentServer, startPostgresServer } from '@carrier-auth/testing-stores'

/** `describe`, skipped (the global setup said why, once) when no PostgreSQL runs here. */
export const describeWithPostgres = (name: string, body: () => void) => describe.skipIf(!inject('postgresAvailable'))(name, body)

/**
 * This test file's own schema on the shared PostgreSQL, migrated, and dropped after the file;
 * plus pools on it that are ended after the file.
 */
export function useSchema() {
  const schema = uniqueSchema()
  const pools: pg.Pool[] = []
  let migrated: Promise<void> | undefined
  afterAll(async () => {
    const admin = quietPool()
    await dropSchema(admin, schema)
    await admin.end()
    await Promise.all(pools.splice(0).map((p) => p.end()))
  })
  return {
    schema,
    /** A pool of its own (as a process of a fleet has). */
    pool(options: pg.PoolConfig = {}): pg.Pool {
      const pool = quietPool(options)
      pools.push(pool)
      return pool
    },
    /** Migrates the schema once. */
    ready(): Promise<void> {
      migrated ??= (async () => {
        const pool = quietPool({ max: 1 })
        await migrate(pool, { schema })
        await pool.end()
      })()
      return migrated
    },
  }
}
