export { createRedisStore } from './redis-store.js'
export { RedisStoreError } from './errors.js'

export type { Decrypt, Encrypt } from './codec.js'
export type { RedisStoreStats } from './commands.js'
export type { RedisStoreErrorCode } from './errors.js'
export type { RedisKeys, RedisStore, RedisStoreOptions } from './redis-store.js'
