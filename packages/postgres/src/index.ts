export { createPostgresStore } from './postgres-store.js'
export { migrate, migrationSql, MIGRATION_SQL } from './migration.js'
export { PostgresStoreError } from './errors.js'

/** The names 0.1.0 exported for the `encrypt` / `decrypt` options (core's `EncryptToken` / `DecryptToken`). */
export type { DecryptToken as Decrypt, EncryptToken as Encrypt } from '@carrier-auth/core'
export type { PostgresStoreErrorCode } from './errors.js'
export type { PoolClientLike, PoolLike, PostgresStoreStats } from './queries.js'
export type { PostgresStore, PostgresStoreOptions } from './postgres-store.js'
