import { describeDriverError } from '@carrier-auth/core'
import { PostgresStoreError } from './errors.js'
import { holding, type PoolLike } from './queries.js'

/**
 * The SQL of `migrations/001-create-tables.sql`, shipped in the package as it is here (a test
 * keeps the two identical). Written for schema "public" and table prefix "carrier_auth".
 */
export const MIGRATION_SQL = `-- @carrier-auth/postgres: the store's tables. Run once before the store is used, by hand
-- (psql -f) or with migrate(pool). It is idempotent. migrate(pool, { schema, table }) runs this
-- same SQL with "public" and "carrier_auth" replaced by your schema and table prefix.
-- No column ever holds a secret: keys are SHA-256 hashes of carrier-auth's cache keys (which hold
-- a hash of the credentials, never the credentials), and data is the token's JSON, or its
-- ciphertext when the store is given encrypt/decrypt.

CREATE SCHEMA IF NOT EXISTS "public";

-- One row per cache key. A delete or an expiry empties data and keeps the row, so version
-- never goes back (compare-and-set cannot be fooled by a key that was deleted and written again).
CREATE TABLE IF NOT EXISTS "public"."carrier_auth_tokens" (
  key          text        PRIMARY KEY,
  version      bigint      NOT NULL,
  fingerprint  text,
  data         text,
  sealed       boolean     NOT NULL DEFAULT false,
  expires_at   timestamptz NOT NULL,
  keep_until   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "carrier_auth_tokens_keep_until" ON "public"."carrier_auth_tokens" (keep_until);

-- Small shared numbers with a lifetime (cooldowns, the account ledger's records).
CREATE TABLE IF NOT EXISTS "public"."carrier_auth_markers" (
  key         text             PRIMARY KEY,
  value       double precision NOT NULL,
  expires_at  timestamptz      NOT NULL
);
CREATE INDEX IF NOT EXISTS "carrier_auth_markers_expires_at" ON "public"."carrier_auth_markers" (expires_at);

-- The fleet lock: one lease per key, held by owner until expires_at (the server's clock).
CREATE TABLE IF NOT EXISTS "public"."carrier_auth_locks" (
  key         text        PRIMARY KEY,
  owner       text        NOT NULL,
  expires_at  timestamptz NOT NULL
);
`

/** PostgreSQL names are at most 63 bytes; a table prefix leaves room for `_markers`. */
const MAX_LENGTH = { schema: 63, table: 48 } as const
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The store's tables, as quoted SQL names. */
export interface TableNames {
  tokens: string
  markers: string
  locks: string
}

export function checkIdentifier(option: 'schema' | 'table', value: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || value.length > MAX_LENGTH[option]) {
    throw new TypeError(`@carrier-auth/postgres: ${option} must be a plain SQL identifier (letters, digits, _; at most ${MAX_LENGTH[option]}), got ${JSON.stringify(String(value).slice(0, 60))}.`)
  }
  return value
}

export function tableNames(schema: string, table: string): TableNames {
  const base = `"${checkIdentifier('schema', schema)}"."${checkIdentifier('table', table)}`
  return { tokens: `${base}_tokens"`, markers: `${base}_markers"`, locks: `${base}_locks"` }
}

/** The migration for another schema or table prefix. */
export function migrationSql(options: { schema?: string; table?: string } = {}): string {
  const schema = checkIdentifier('schema', options.schema ?? 'public')
  const table = checkIdentifier('table', options.table ?? 'carrier_auth')
  // One pass: a schema whose name starts with the default prefix must not be rewritten again.
  return MIGRATION_SQL.replace(/"public"|"carrier_auth_/g, (name) => (name === '"public"' ? `"${schema}"` : `"${table}_`))
}

/**
 * Creates the store's schema and tables if they are missing (idempotent). Runs in one transaction
 * under an advisory lock, so a fleet that starts at once migrates once. Needs the rights to
 * create them; without them, an owner runs `migrations/001-create-tables.sql` instead.
 */
export async function migrate(pool: PoolLike, options: { schema?: string; table?: string } = {}): Promise<void> {
  const sql = migrationSql(options)
  const client = await pool.connect()
  const release = holding(client)
  let broken = false
  try {
    await client.query('BEGIN')
    await client.query({ text: 'SELECT pg_advisory_xact_lock(hashtext($1))', values: ['carrier-auth/postgres migrate'] })
    await client.query(sql)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true))
    throw new PostgresStoreError(`migrate() failed: ${describeDriverError(error)}`, 'query_failed', 'migrate')
  } finally {
    release(broken)
  }
}
