import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { CarrierAuthError } from '@carrier-auth/core'
import type { HostileTokenVariant } from '../emulators/index.js'
import { scenario } from './scenario.js'

const only = { emulatorOnly: true }
const VARIANTS: HostileTokenVariant[] = ['crlf', 'non_latin1', 'negative_lifetime', 'zero_lifetime', 'string_lifetime', 'huge_lifetime']

/** Whatever a provider hands out or throws can be logged: neither rendering may throw. */
function unrenderable(value: unknown, what: string): string[] {
  const problems: string[] = []
  for (const [name, render] of [['JSON.stringify', () => JSON.stringify(value)], ['util.inspect', () => inspect(value, { depth: 8 })]] as const) {
    try {
      render()
    } catch (error) {
      problems.push(`${what}: ${name} threw ${error instanceof Error ? error.name : 'a value'}`)
    }
  }
  return problems
}

function invalidResponse(outcome: unknown, what: string): string[] {
  if (!CarrierAuthError.isInstance(outcome)) return [`${what}: expected invalid_response, got ${outcome instanceof Error ? outcome.name : 'a token'}`]
  return outcome.code === 'invalid_response' ? [] : [`${what}: expected invalid_response, got ${outcome.code}`]
}

function assertInvalidResponse(outcome: unknown, what: string): void {
  const problems = invalidResponse(outcome, what)
  if (problems.length) assert.fail(problems.join('; '))
}

/** Issue 11: answers no token endpoint should send, and what a provider must make of them. */
export const hostileAnswers = [
  scenario('security.no-redirects', 'a 307 or 308 is invalid_response; nothing reaches the other origin', async (ctx) => {
    const problems: string[] = []
    for (const status of [307, 308] as const) {
      const reached = ctx.emulator!.stats.redirectTargetRequests
      ctx.inject({ type: 'redirect', status })
      const outcome = await ctx.auth({ store: undefined }).getToken().then((t) => t, (error: unknown) => error)
      ctx.outputs.push(outcome)
      const sent = ctx.emulator!.stats.redirectTargetRequests - reached
      if (sent > 0) problems.push(`${status}: ${sent} request(s) reached the other origin`)
      problems.push(...invalidResponse(outcome, String(status)))
    }
    if (problems.length) assert.fail(problems.join('; '))
  }, only),

  scenario('errors.hostile-token', 'a token no header can carry or an insane lifetime: a typed error, never cached', async (ctx) => {
    const problems: string[] = []
    for (const variant of VARIANTS) {
      const auth = ctx.auth({ store: undefined })
      ctx.inject({ type: 'hostile_token', variant })
      const outcome = await auth.getToken().then((t) => t, (error: unknown) => error)
      ctx.outputs.push(outcome, auth)
      problems.push(...unrenderable(outcome, `${variant}: its outcome`), ...unrenderable(auth, `${variant}: the provider`), ...invalidResponse(outcome, variant))
      // Never cached: the next call goes to the carrier again and gets a clean token.
      const before = ctx.tokenRequests()
      const clean = await auth.getToken().then((t) => ctx.seen(t), (error: unknown) => error)
      ctx.outputs.push(clean)
      if (ctx.tokenRequests() !== before + 1) problems.push(`${variant}: the hostile answer was served from the cache`)
      problems.push(...unrenderable(clean, `${variant}: the next token`))
    }
    if (problems.length) assert.fail(problems.join('; '))
  }, only),

  scenario('errors.oversized-body', 'a 50 MB answer is invalid_response, not read whole', async (ctx) => {
    ctx.inject({ type: 'oversized_body' })
    const outcome = await ctx.auth({ retry: { maxAttempts: 1 } }).getToken().then((t) => t, (error: unknown) => error)
    ctx.outputs.push(outcome)
    assertInvalidResponse(outcome, 'a 50 MB answer')
    const [body] = ctx.emulator!.stats.oversizedBodies
    assert.ok(body, 'the oversized answer was sent')
    // The emulator learns that the client hung up when the socket closes, which may trail the error
    // by a moment of real time: wait for that event, within a generous bound.
    for (let waited = 0; !body.finished && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.ok(body.finished, 'the client neither read the answer nor hung up within 10 s')
    assert.equal(body.complete, false, `the client read all ${body.bytesSent} bytes`)
  }, only),
]
