export const REDIS_HOST = '127.0.0.1'
export const REDIS_PORT = 6379
