import assert from 'node:assert/strict'
import { CarrierAuthError } from '@carrier-auth/core'
import { factsOf } from '../facts.js'
import type { CarrierUnderTest } from '../carriers.js'
import { scenario } from './scenario.js'

const PROVIDERS = 20
const only = { emulatorOnly: true }
const locks = {
  emulatorOnly: true,
  appliesTo: (carrier: CarrierUnderTest) => factsOf(carrier.name).lockout !== undefined || 'the carrier documents no account lockout',
}

/** Issue 11: the deployment shapes that locked Posti accounts, for every carrier they apply to. */
export const accountSafety = [
  scenario('lockout.concurrent-providers', `${PROVIDERS} providers built at once with one wrong password make 1 failed login`, async (ctx) => {
    const providers = ctx.providers(PROVIDERS, { credentials: ctx.wrongCredentials() })
    const outcomes = await Promise.all(providers.map((auth) => auth.getToken().then(() => undefined, (error: unknown) => error)))
    ctx.outputs.push(...outcomes)
    for (const outcome of outcomes) {
      assert.ok(CarrierAuthError.isInstance(outcome), `every provider gets a typed error, got ${String(outcome)}`)
      assert.ok(['invalid_credentials', 'credentials_cooldown'].includes(outcome.code), `unexpected ${outcome.code}`)
    }
    assert.equal(ctx.emulator!.stats.failedLogins, 1, `${ctx.emulator!.stats.failedLogins} failed logins reached the carrier`)
  }, only),

  scenario('lockout.unknown-outcome', 'a 401 held past timeoutMs, twice: the account is not locked', async (ctx) => {
    const { maxFailedLogins } = factsOf(ctx.carrier.name).lockout!
    // Every login is refused and counted on arrival, but the answer comes after the client gave up.
    ctx.inject({ type: 'slow_rejection', delayMs: 10_000, times: 100 })
    const auth = ctx.auth({ credentials: ctx.wrongCredentials(), timeoutMs: 100 })
    for (let call = 0; call < 2; call++) {
      const outcome = await auth.getToken().then(() => undefined, (error: unknown) => error)
      ctx.outputs.push(outcome)
      assert.ok(CarrierAuthError.isInstance(outcome), `call ${call + 1}: a typed error, got ${String(outcome)}`)
    }
    const failed = ctx.emulator!.stats.failedLogins
    assert.equal(ctx.emulator!.isLocked(), false, `the account is locked after ${failed} failed logins`)
    assert.ok(failed < maxFailedLogins, `${failed} failed logins reached the carrier; it locks at ${maxFailedLogins}`)
  }, locks),

  scenario('credentials.new-secret-after-typo', 'a wrong then the right secret: a token at once', async (ctx) => {
    await ctx.rejects(ctx.auth({ credentials: ctx.wrongCredentials() }).getToken(), 'invalid_credentials')
    const outcome = await ctx.auth().getToken().then((token) => ctx.seen(token), (error: unknown) => error)
    ctx.outputs.push(outcome)
    assert.ok(!(outcome instanceof Error), `the right secret was refused: ${outcome instanceof Error ? outcome.message : ''}`)
    assert.equal(ctx.tokenRequests(), 2)
  }, only),
]
