import { afterEach, expect, it, vi } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { quietClient } from './support/redis.js'

afterEach(() => vi.unstubAllGlobals())

it('should refuse to be built on Cloudflare Workers, saying why, before any connection is used', () => {
  vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
  const client = quietClient({ lazyConnect: true })
  try {
    expect(() => createRedisStore({ client })).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(/cannot run on Cloudflare Workers: it keeps one TCP connection/) }))
  } finally {
    client.disconnect()
  }
})
