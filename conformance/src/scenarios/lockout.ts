import assert from 'node:assert/strict'
import { factsOf } from '../facts.js'
import { scenario } from './scenario.js'

const locks = { emulatorOnly: true, appliesTo: (carrier: { name: Parameters<typeof factsOf>[0] }) => factsOf(carrier.name).lockout !== undefined || 'the carrier documents no account lockout' }

/**
 * A carrier that documents a lockout (Posti: an hour after 5 failed logins, from its spec's facts).
 * Whatever a caller does — retry in a loop, force refreshes, build a new provider per request — the
 * emulator must never reach its lock, and no lock period may hold the documented number of failures.
 */
export const lockout = [
  scenario('lockout.never-locks', 'no caller pattern reaches the documented lock', async (ctx) => {
    const { maxFailedLogins, durationSeconds } = factsOf(ctx.carrier.name).lockout!
    const period = durationSeconds * 1000
    const failures: number[] = []
    for (let minute = 0; minute < 3 * (period / 60_000); minute++) {
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
    const worst = Math.max(...failures.map((t) => failures.filter((u) => u >= t && u < t + period).length))
    assert.ok(worst < maxFailedLogins, `${worst} failed logins within one lock period (${durationSeconds} s)`)
    assert.ok(failures.length > 0, 'the scenario did reach the endpoint')
  }, locks),
]
