import { readFile } from 'node:fs/promises'
import { StoreError } from '@carrier-auth/core'
import { dropSchema, quietPool } from '@carrier-auth/testing-stores'
import { afterAll, expect, it } from 'vitest'
import { createPostgresStore, migrate, MIGRATION_SQL, migrationSql, PostgresStoreError } from '../src/index.js'
import { describeWithPostgres, useSchema } from './support/postgres.js'

describeWithPostgres('the migration', () => {
  const db = useSchema()
  const admin = quietPool({ max: 2 })
  afterAll(() => admin.end())

  it('should ship migrations/001-create-tables.sql exactly as migrate() runs it', async () => {
    const shipped = await readFile(new URL('../migrations/001-create-tables.sql', import.meta.url), 'utf8')
    expect(MIGRATION_SQL).toBe(shipped)
    expect(migrationSql()).toBe(shipped)
  })

  it('should create the three tables in the given schema, and be safe to run again by a fleet at once', async () => {
    await Promise.all(Array.from({ length: 4 }, () => migrate(admin, { schema: db.schema, table: 'fleet' })))
    const { rows } = await admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [db.schema])
    expect(rows.map((r) => r.table_name)).toEqual(['fleet_locks', 'fleet_markers', 'fleet_tokens'])
  })

  it('should create its tables in a schema whose name starts with the default table prefix', async () => {
    const schema = 'carrier_auth_test_prefixcheck'
    try {
      await migrate(admin, { schema })
      const { rows } = await admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])
      expect(rows.map((r) => r.table_name)).toEqual(['carrier_auth_locks', 'carrier_auth_markers', 'carrier_auth_tokens'])
    } finally {
      await dropSchema(admin, schema)
    }
  })

  it('should refuse a schema or table name that is not a plain identifier', () => {
    expect(() => migrationSql({ schema: 'x"; DROP TABLE users; --' })).toThrow(/plain SQL identifier/)
    expect(() => createPostgresStore({ pool: admin, table: 'a b' })).toThrow(/plain SQL identifier/)
  })

  it('should fail with not_migrated, naming the fix, when the tables are missing', async () => {
    const store = createPostgresStore({ pool: admin, schema: db.schema, table: 'never_migrated' })
    const error = await store.get('k').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PostgresStoreError)
    expect(error).toBeInstanceOf(StoreError)
    expect(StoreError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ name: 'PostgresStoreError', code: 'not_migrated', operation: 'get' })
    expect((error as Error).message).toMatch(/migrate\(pool\)/)
  })
})
