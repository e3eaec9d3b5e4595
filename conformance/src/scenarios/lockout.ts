import assert from 'node:assert/strict'
import { scenario } from './scenario.js'

const HOUR = 3_600_000

/**
 * Posti locks an account for an hour after 5 failed logins. Whatever a caller does — retry in a
 * loop, force refreshes, build a new provider per request — the emulator must never reach its
 * lock, and no hour may hold 5 failed logins.
 */
export const lockout = [
  scenario('lockout.never-locks', 'no caller pattern reaches the 5-failures lock', async (ctx) => {
    const failures: number[] = []
    for (let minute = 0; minute < 3 * 60; minute++) {
      const before = ctx.emulator!.stats.failedLogins
      const patterns = [ctx.auth({ credentials: ctx.wrongCredentials() }), ctx.auth({ credentials: ctx.wrongCredentials(), store: undefined })]
      for (const auth of patterns) {
        await auth.getToken().catch(() => {})
        await auth.getToken({ forceRefresh: true }).catch(() => {})
      }
      for (let i = ctx.emulator!.stats.failedLogins - before; i > 0; i--) failures.push(ctx.clock.now())
      assert.equal(ctx.emulator!.isLocked(), false, `locked at minute ${minute}`)
      ctx.clock.advance(60_000)
    }
    const worstHour = Math.max(...failures.map((t) => failures.filter((u) => u >= t && u < t + HOUR).length))
    assert.ok(worstHour < 5, `${worstHour} failed logins within one hour`)
    assert.ok(failures.length > 0, 'the scenario did reach the endpoint')
  }, {
    emulatorOnly: true,
    appliesTo: (carrier) => carrier.locksAccounts || 'the carrier documents no account lockout',
  }),
]
