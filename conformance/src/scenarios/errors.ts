import assert from 'node:assert/strict'
import createClient from 'openapi-fetch'
import { startEmulator } from '../emulators/index.js'
import { scenario } from './scenario.js'

const ATTEMPTS = 3
const fast = { retry: { maxAttempts: ATTEMPTS } }
const only = { emulatorOnly: true }

export const errors = [
  scenario('errors.invalid-credentials', 'wrong credentials: one request, a typed error, nothing cached, then a cooldown', async (ctx) => {
    const auth = ctx.auth({ credentials: ctx.wrongCredentials() })
    await ctx.rejects(auth.getToken(), 'invalid_credentials')
    assert.equal(ctx.tokenRequests(), 1)
    await ctx.rejects(auth.getToken(), 'credentials_cooldown')
    await ctx.rejects(auth.getToken({ forceRefresh: true }), 'credentials_cooldown')
    assert.equal(ctx.tokenRequests(), 1)
  }, only),

  scenario('errors.server-error-retried', 'a 5xx is retried with backoff and jitter', async (ctx) => {
    ctx.inject({ type: 'server_error', times: 1 })
    ctx.seen(await ctx.auth(fast).getToken())
    assert.equal(ctx.tokenRequests(), 2)
    assert.equal(ctx.clock.sleeps.length, 1)
  }, only),

  scenario('errors.server-error-surfaces', 'persistent 5xx surfaces server_error', async (ctx) => {
    ctx.inject({ type: 'server_error', times: ATTEMPTS })
    const error = await ctx.rejects(ctx.auth(fast).getToken(), 'server_error')
    assert.equal(error.attempts, ATTEMPTS)
    assert.equal(ctx.tokenRequests(), ATTEMPTS)
  }, only),

  scenario('errors.dropped-connection', 'dropped connections are retried, then surface network_error', async (ctx) => {
    ctx.inject({ type: 'drop_connection', times: 1 })
    ctx.seen(await ctx.auth(fast).getToken())
    ctx.inject({ type: 'drop_connection', times: ATTEMPTS })
    await ctx.rejects(ctx.auth({ ...fast, store: undefined }).getToken(), 'network_error')
    assert.equal(ctx.tokenRequests(), 2 + ATTEMPTS)
  }, only),

  scenario('errors.rate-limited', '429 honours Retry-After', async (ctx) => {
    ctx.inject({ type: 'rate_limited', retryAfterSeconds: 7 })
    ctx.seen(await ctx.auth(fast).getToken())
    assert.deepEqual(ctx.clock.sleeps, [7000])
    assert.equal(ctx.tokenRequests(), 2)
  }, only),

  scenario('errors.malformed-json', 'a malformed JSON body gives invalid_response', async (ctx) => {
    ctx.inject({ type: 'malformed_json' })
    await ctx.rejects(ctx.auth(fast).getToken(), 'invalid_response')
    assert.equal(ctx.tokenRequests(), 1)
  }, only),

  scenario('errors.html-page', 'an HTML page gives invalid_response', async (ctx) => {
    ctx.inject({ type: 'html_error_page' })
    await ctx.rejects(ctx.auth(fast).getToken(), 'invalid_response')
  }, only),

  scenario('errors.missing-token', 'a body without the token gives invalid_response', async (ctx) => {
    ctx.inject({ type: 'missing_access_token' })
    await ctx.rejects(ctx.auth(fast).getToken(), 'invalid_response')
  }, only),

  scenario('errors.slow', 'a slow endpoint gives timeout', async (ctx) => {
    ctx.inject({ type: 'slow', delayMs: 2000 })
    await ctx.rejects(ctx.auth({ timeoutMs: 100, retry: { maxAttempts: 1 } }).getToken(), 'timeout')
  }, only),

  scenario('errors.resource-401', 'a resource 401 refreshes once and retries once; a second 401 surfaces', async (ctx) => {
    const emulator = ctx.emulator!
    const auth = ctx.auth()
    const api = createClient<Record<string, never>>({ baseUrl: new URL(emulator.resourceUrl).origin })
    api.use(auth.middleware())
    ctx.seen(await auth.getToken())
    emulator.revokeAccessTokens()
    const retried = await api.GET('/__emulator/resource' as never)
    assert.equal(retried.response.status, 200)
    assert.equal(ctx.tokenRequests(), 2)
    // Another server of the same carrier knows none of these tokens: every answer is a 401.
    const stranger = await startEmulator(ctx.carrier.name)
    try {
      const response = await auth.fetch(stranger.resourceUrl)
      assert.equal(response.status, 401)
      assert.equal(ctx.tokenRequests(), 3)
      assert.equal(stranger.stats.resourceRequests, 2)
    } finally {
      await stranger.close()
    }
  }, only),
]
