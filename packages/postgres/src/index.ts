export { createPostgresStore } from './postgres-store.js'
export { migrate, migrationSql, MIGRATION_SQL } from './migration.js'
export { PostgresStoreError } from './errors.js'

export type { Decrypt, Encrypt } from './codec.js'
export type { PostgresStoreErrorCode } from './errors.js'
export type { PoolClientLike, PoolLike, PostgresStoreStats } from './queries.js'
export type { PostgresStore, PostgresStoreOptions } from './postgres-store.js'
