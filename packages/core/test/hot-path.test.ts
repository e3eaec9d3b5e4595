import { describe, expect, test } from 'vitest'
import { COARSE, COARSE_MARGIN_MS, createCoarseClock, processCoarseClock } from '../src/coarse-clock.js'
import type { AccessToken, Clock } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

const BUFFER_MS = 60_000
const STEP_MS = 250

/** A manual source with a coarse clock over it whose tick we deliver by hand (or withhold). */
function coarseOverManual() {
  const time = { t: Date.UTC(2026, 0, 1) }
  const running = new Set<() => void>()
  const coarse = createCoarseClock(() => time.t, {
    setInterval: (run) => (running.add(run), { unref() {}, run }),
    clearInterval: (h) => running.delete((h as { run: () => void }).run),
  })!
  const clock: Clock & { [COARSE]: typeof coarse } = {
    now: () => time.t,
    sleep: (ms) => ((time.t += ms), Promise.resolve()),
    [COARSE]: coarse,
  }
  return { time, clock, tick: () => [...running].forEach((run) => run()) }
}

/**
 * Walks the source from a token's issue to well past its end in 250 ms steps, a getToken() at
 * each step, the coarse clock's tick delivered only every `tickEvery` steps (a loop that busy
 * holds a reading that long). Returns, per handed-out token, how far before its end it was.
 */
async function sweep(baseUrl: string, lateMs: number) {
  const { time, clock, tick } = coarseOverManual()
  // No refresh-ahead and no jitter: the token is handed out right up to its expiry buffer.
  const auth = createTestAuth({ baseUrl, clock, refreshAheadMs: 0, retry: { random: () => 0 } })
  const start = time.t
  const handedOut: { at: number; token: AccessToken }[] = []
  for (let step = 0; time.t - start < 1_300_000; step++) {
    if ((step * STEP_MS) % lateMs === 0) tick()
    handedOut.push({ at: time.t, token: await auth.getToken() })
    time.t += STEP_MS
  }
  return handedOut
}

describe('the hot path on a coarse clock', () => {
  const f = useFixture({ expiresIn: 600 })

  test('with readings up to the margin late, no token is handed out within its expiry buffer', async () => {
    const handedOut = await sweep(f.server.url, COARSE_MARGIN_MS)
    const late = handedOut.filter(({ at, token }) => at >= token.expiresAt - BUFFER_MS)
    expect(late).toEqual([])
    expect(new Set(handedOut.map((h) => h.token.accessToken)).size).toBeGreaterThanOrEqual(2)
  })

  test('with readings as late as the margin plus the expiry buffer, no expired token is handed out', async () => {
    const handedOut = await sweep(f.server.url, COARSE_MARGIN_MS + BUFFER_MS)
    const expired = handedOut.filter(({ at, token }) => at >= token.expiresAt)
    expect(expired).toEqual([])
  })

  test('within the margin of the refresh-ahead moment, the precise clock decides: the refresh starts on time', async () => {
    const { time, clock, tick } = coarseOverManual()
    const auth = createTestAuth({ baseUrl: f.server.url, clock, onEvent: f.ev.onEvent })
    const first = await auth.getToken()
    // Refresh-ahead starts at half the 600 s lifetime (the test carrier refreshes 5 min ahead).
    const refreshAt = first.issuedAt + 300_000
    tick()
    time.t = refreshAt - 500
    await auth.getToken() // the coarse reading, taken now, is what the next call sees (no tick)
    time.t = refreshAt + 1
    const refreshed = f.ev.next('token_acquired')
    await auth.getToken()
    expect((await refreshed).reason).toBe('refresh_ahead')
  })

  test('authorizationHeader() hands out one prebuilt promise while the token is fresh', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    await auth.getToken()
    const a = auth.authorizationHeader()
    expect(auth.authorizationHeader()).toBe(a)
    expect(await a).toBe('Bearer tok-1')
  })

  test('a provider on the system clock reads the process-wide coarse clock', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url })
    await auth.getToken()
    await auth.getToken()
    expect(processCoarseClock?.ticking).toBe(true)
  })
})
