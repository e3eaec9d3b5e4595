import { inspect } from 'node:util'
import pg from 'pg'
import { expect, it } from 'vitest'
import { createPostgresStore } from '../src/index.js'

it('should never show the pool (its password) in JSON or util.inspect output', async () => {
  const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'app', password: 'pg-password-never-shown', database: 'app' })
  const store = createPostgresStore({ pool, schema: 'app', table: 'tokens' })
  expect(JSON.stringify(store)).toBe('{"store":"postgres","tables":"app.tokens_*"}')
  expect(inspect(store, { depth: 5, showHidden: true })).not.toContain('pg-password-never-shown')
  expect(JSON.stringify({ store })).not.toContain('pg-password-never-shown')
  await pool.end()
})

it('should refuse encrypt without decrypt, and a pool that is not one', () => {
  const pool = new pg.Pool()
  expect(() => createPostgresStore({ pool, encrypt: (s) => s })).toThrow(/encrypt and decrypt together/)
  expect(() => createPostgresStore({ pool: {} as never })).toThrow(/needs \{ pool \}/)
  expect(() => createPostgresStore({ pool, queryTimeoutMs: 0 })).toThrow(/queryTimeoutMs must be a positive/)
  void pool.end()
})
