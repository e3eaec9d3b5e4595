import { describe, expect, test } from 'vitest'
import { carrierFactory, createManualClock, MemoryStore } from '../src/index.js'
import { jittered } from '../src/token-provider.js'
import { recordEvents } from './support/events.js'
import { startTokenServer } from './support/token-server.js'
import { SECRET, testProfile } from './support/test-profile.js'

const createTestAuth = carrierFactory(testProfile)
const MIN = 60_000
let run = 0

/** 0, 0.01, …, 0.99, 0, …: every account draws a different jitter, whatever order they answer in. */
function steps() {
  let i = 0
  return () => (i++ % 100) / 100
}

describe('no herd', () => {
  test('refresh-ahead jitter moves a refresh earlier by up to a tenth of the lifetime, never before half of it', () => {
    const token = { issuedAt: 0, expiresAt: 60 * MIN }
    expect(jittered({ refreshAt: 50 * MIN, freshUntil: 59 * MIN }, token, () => 0)).toBe(50 * MIN)
    expect(jittered({ refreshAt: 50 * MIN, freshUntil: 59 * MIN }, token, () => 0.5)).toBe(47 * MIN)
    expect(jittered({ refreshAt: 32 * MIN, freshUntil: 59 * MIN }, token, () => 0.99)).toBeCloseTo(30.02 * MIN)
    expect(jittered({ refreshAt: 30 * MIN, freshUntil: 59 * MIN }, token, () => 0.99)).toBe(30 * MIN)
  })

  test('100 accounts warmed together refresh spread over six minutes: at minute 47 exactly the half whose jitter reached it', async () => {
    const server = await startTokenServer({ expiresIn: 3600 })
    const clock = createManualClock()
    const ev = recordEvents()
    run++
    const carrier = createTestAuth.accounts({ baseUrl: server.url, clock, store: new MemoryStore({ clock }), refreshAheadMs: 10 * MIN, retry: { random: steps() }, onEvent: ev.onEvent })
    const accounts = Array.from({ length: 100 }, (_, i) => carrier.account({ clientId: `herd-${run}-${i}`, clientSecret: SECRET }))
    await Promise.all(accounts.map((a) => a.getToken()))
    clock.advance(47 * MIN)
    const acquired = ev.of('token_acquired').length
    // Jitter r moves account's refresh to 50 - 6r minutes: at 47, those with r ≥ 0.5 refresh.
    const served = await Promise.all(accounts.map((a) => a.getToken()))
    expect(served.every((t) => Number(t.accessToken.slice(4)) <= 100)).toBe(true)
    while (ev.of('token_acquired').length < acquired + 50) await new Promise((r) => setTimeout(r, 5))
    expect(server.tokenRequests).toBe(150)
    await server.close()
  })

  test('a cold start of 100 accounts with maxConcurrentRequests 4 never has more than 4 token requests in flight', async () => {
    const server = await startTokenServer({ expiresIn: 3600, answerDelayMs: 20 })
    const carrier = createTestAuth.accounts({ baseUrl: server.url, maxConcurrentRequests: 4 })
    run++
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => carrier.account({ clientId: `cold-${run}-${i}`, clientSecret: SECRET }).getToken()))
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(100)
    expect(server.load.maxInFlight).toBeLessThanOrEqual(4)
    await server.close()
  })

  test('by default at most 16 token requests of one carrier client are in flight', async () => {
    const server = await startTokenServer({ expiresIn: 3600, answerDelayMs: 20 })
    const carrier = createTestAuth.accounts({ baseUrl: server.url })
    run++
    await Promise.all(Array.from({ length: 100 }, (_, i) => carrier.account({ clientId: `default-${run}-${i}`, clientSecret: SECRET }).getToken()))
    expect(server.tokenRequests).toBe(100)
    expect(server.load.maxInFlight).toBeLessThanOrEqual(16)
    await server.close()
  })
})
