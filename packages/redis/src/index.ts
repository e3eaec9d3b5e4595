export { createRedisStore } from './redis-store.js'
export { RedisStoreError } from './errors.js'

/** The names 0.1.0 exported for the `encrypt` / `decrypt` options (core's `EncryptToken` / `DecryptToken`). */
export type { DecryptToken as Decrypt, EncryptToken as Encrypt } from '@carrier-auth/core'
export type { RedisStoreStats } from './commands.js'
export type { RedisStoreErrorCode } from './errors.js'
export type { RedisKeys, RedisStore, RedisStoreOptions } from './redis-store.js'
