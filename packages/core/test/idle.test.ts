import { describe, expect, test } from 'vitest'
import { recordEvents } from './support/events.js'
import { startTokenServer } from './support/token-server.js'
import { createTestAuth } from './support/test-profile.js'

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('idle', () => {
  test('after a background refresh with a retry, no timer of the provider is left', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    try {
      let now = Date.UTC(2026, 0, 1)
      // A clock without `sleep`: time is ours to move, waits are real (unref'ed) timers.
      const clock = { now: () => now }
      const ev = recordEvents()
      const auth = createTestAuth({ baseUrl: server.url, clock, refreshAheadMs: 10 * 60_000, retry: { baseDelayMs: 1, maxDelayMs: 1 }, onEvent: ev.onEvent })
      const before = timers()
      await auth.getToken()
      server.queue({ status: 503 })
      now += 55 * 60_000
      const refreshed = ev.next('token_acquired')
      await auth.getToken()
      await refreshed
      expect(ev.of('retry_scheduled')).toHaveLength(1)
      expect(timers()).toBeLessThanOrEqual(before)
    } finally {
      await server.close()
    }
  })
})
