import assert from 'node:assert/strict'
import { scenario } from './scenario.js'

/**
 * Drives the paths that produce errors and events; the runner's secrets check then renders
 * everything the scenario saw (every scenario gets that check, this one makes sure there is
 * plenty to check).
 */
export const secrets = [
  scenario('secrets.no-leak', 'no error, event, JSON or inspect output holds a secret or token', async (ctx) => {
    const auth = ctx.auth({ retry: { maxAttempts: 2 } })
    const token = ctx.seen(await auth.getToken())
    ctx.outputs.push(auth, token)
    ctx.inject({ type: 'server_error', times: 2 })
    ctx.outputs.push(await ctx.rejects(auth.getToken({ forceRefresh: true }), 'server_error'))
    ctx.inject({ type: 'malformed_json' })
    ctx.outputs.push(await ctx.rejects(auth.getToken({ forceRefresh: true }), 'invalid_response'))
    ctx.outputs.push(await ctx.rejects(ctx.auth({ credentials: ctx.wrongCredentials() }).getToken(), 'invalid_credentials'))
    assert.ok(ctx.events.length > 0)
  }, { emulatorOnly: true }),
]
