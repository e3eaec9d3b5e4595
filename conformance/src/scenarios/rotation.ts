import assert from 'node:assert/strict'
import type { AuthorizationCodeAuth } from '@carrier-auth/core'
import { rotationChain } from './rotation-chain.js'
import { type Scenario, type ScenarioContext, scenario } from './scenario.js'

const REDIRECT = 'http://127.0.0.1:8765/callback'

/** Connects one customer account the way an application does: authorize URL, redirect, code exchange. */
export async function connectAccount(ctx: ScenarioContext, auth: AuthorizationCodeAuth, account: string) {
  const { url, state } = auth.authorizeUrl({ redirectUri: REDIRECT })
  const answer = await fetch(url, { redirect: 'manual' })
  const location = new URL(answer.headers.get('location') ?? '')
  const token = await auth.exchangeCode({
    code: location.searchParams.get('code') ?? '',
    state: location.searchParams.get('state') ?? '',
    expectedState: state,
    redirectUri: REDIRECT,
    account,
  })
  return ctx.seen(token)
}

const rotating = {
  emulatorOnly: true,
  appliesTo: (carrier: ScenarioContext['carrier']) => carrier.rotatesRefreshTokens || 'the carrier issues no refresh tokens',
} satisfies Partial<Scenario>

const connected = async (ctx: ScenarioContext) => {
  const auth = ctx.auth() as AuthorizationCodeAuth
  const first = await connectAccount(ctx, auth, 'customer-1')
  return { auth, first, account: auth.forAccount('customer-1') }
}

export const rotation = [
  scenario('rotation.concurrent-refresh', '100 concurrent callers after expiry make one refresh', async (ctx) => {
    const { first, account } = await connected(ctx)
    ctx.clock.set(first.expiresAt)
    const tokens = await Promise.all(Array.from({ length: 100 }, () => account.getToken()))
    assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 1)
  }, rotating),

  scenario('rotation.rotates-every-time', 'every refresh stores a new refresh token', async (ctx) => {
    const { first, account } = await connected(ctx)
    const refreshTokens = [first.refreshToken]
    for (let i = 0; i < 3; i++) {
      ctx.clock.set((await account.getToken()).expiresAt)
      refreshTokens.push(ctx.seen(await account.getToken()).refreshToken)
    }
    assert.equal(new Set(refreshTokens).size, 4)
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 3)
  }, rotating),

  scenario('rotation.never-replayed', 'two workers sharing a store never send a refresh token twice', async (ctx) => {
    const { first } = await connected(ctx)
    // A second application instance: its own provider, the same store.
    const workers = [ctx.auth() as AuthorizationCodeAuth, ctx.auth() as AuthorizationCodeAuth].map((a) => a.forAccount('customer-1'))
    let expiresAt = first.expiresAt
    for (let round = 0; round < 5; round++) {
      ctx.clock.set(expiresAt)
      const tokens = await Promise.all(workers.flatMap((w) => [w.getToken(), w.getToken()]))
      assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
      expiresAt = tokens[0]!.expiresAt
    }
    assert.equal(ctx.emulator!.stats.refreshTokenUses, 5)
    assert.equal(ctx.emulator!.stats.refreshTokenReplays, 0)
  }, rotating),

  scenario('rotation.revoked-refresh-token', 'a refused refresh token surfaces invalid_grant, after re-reading the store', async (ctx) => {
    const { first, auth } = await connected(ctx)
    // The customer's grant is used elsewhere (or revoked): the stored refresh token is now dead.
    const stolen = await fetch(ctx.emulator!.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', ...clientOf(ctx), refresh_token: first.refreshToken }),
    })
    assert.equal(stolen.status, 200)
    ctx.clock.set(first.expiresAt)
    const rejected = ctx.nextEvent('refresh_token_rejected')
    const error = await ctx.rejects(auth.forAccount('customer-1').getToken(), 'invalid_grant')
    assert.match(error.message, /authorize/)
    await rejected
  }, rotating),

  ...rotationChain,
]

function clientOf(ctx: ScenarioContext) {
  const c = ctx.emulator!.credentials as { clientId: string; clientSecret: string; scope: string }
  return { client_id: c.clientId, client_secret: c.clientSecret, scope: c.scope }
}
