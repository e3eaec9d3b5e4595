import type { CarrierModule, EmulatedRequest, EmulatorDefinition, EmulatorEnv, EmulatorReply } from '@carrier-auth/core'
import type { PostFinanceCredentials } from './postfinance-profile.js'

// The credentials the module is typed by, under one name for the generated registry.
export type { PostFinanceCredentials as Credentials }

type Env = EmulatorEnv<PostFinanceCredentials>
const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token']

interface CodeBinding {
  clientId: string
  redirectUri: string
  scope: string
}

interface RefreshBinding {
  clientId: string
  scope: string
}

function scopes(value: string): string[] {
  return value.split(' ').filter(Boolean)
}

function withinScope(requested: string, granted: string): boolean {
  const allowed = new Set(scopes(granted))
  return scopes(requested).every((s) => allowed.has(s))
}

// The authorize endpoint is a browser page: it refuses with HTML, not JSON.
function refusePage(env: Env, message: string): EmulatorReply {
  return env.text(400, `<!DOCTYPE html>\n<html><head><title>Authorization failed</title></head><body><p>${message}</p></body></html>\n`, 'text/html; charset=utf-8')
}

// Assumption (labelled in specs/postfinance.yaml): with no registered URIs given, loopback ones only.
function isRegisteredRedirect(env: Env, uri: string): boolean {
  if (env.redirectUris) return env.redirectUris.includes(uri)
  try {
    const url = new URL(uri)
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')
  } catch {
    return false
  }
}

/**
 * PostFinance SmartBusiness: a JSON body carries the client and the grant. Authorization codes are
 * single-use and short-lived; refresh tokens never expire but are single-use, and each use hands out
 * a new pair.
 */
const emulator: EmulatorDefinition<PostFinanceCredentials> = {
  createCredentials: (mint) => ({ clientId: mint(), clientSecret: mint(), scope: 'contacts invoices' }),
  create(env) {
    // Assumption (labelled in specs/postfinance.yaml): the doc gives codes no lifetime; RFC 6749's 10 minutes.
    const codes = env.singleUse<CodeBinding>(env.facts.authorizationCodeLifetimeSeconds! * 1000)
    const refreshTokens = env.singleUse<RefreshBinding>(Number.POSITIVE_INFINITY)

    const tokenPair = (binding: RefreshBinding): EmulatorReply => {
      const token = env.issue()
      return env.json(200, {
        token_type: 'Bearer',
        expires_in: token.expiresInSeconds,
        access_token: token.accessToken,
        refresh_token: refreshTokens.issue(binding),
      })
    }

    const requestAccessToken = (req: EmulatedRequest): EmulatorReply => {
      if (req.mediaType !== 'application/json') return env.oauthError(400, 'invalid_request', 'The body must be application/json.')
      const body = req.json()
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return env.oauthError(400, 'invalid_request', 'The body must be a JSON object.')
      const fields = body as Record<string, unknown>
      const field = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined)
      const grantType = field('grant_type')
      if (!grantType) return env.oauthError(400, 'invalid_request', 'Missing grant_type.')
      if (!GRANTS.includes(grantType)) return env.oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type.')
      if (grantType === 'refresh_token') env.stats.refreshTokenUses++
      const clientId = field('client_id')
      if (!req.credentialsMatch([[env.credentials.clientId, clientId], [env.credentials.clientSecret, field('client_secret')]])) {
        req.failedLogin()
        return env.oauthError(401, 'invalid_client', 'Client authentication failed.')
      }
      const scope = field('scope')
      if (!scope) return env.oauthError(400, 'invalid_request', 'Missing scope.')
      // Assumption (labelled in the spec): RFC 6749's invalid_scope; the doc only says "Once defined you can not access beyond your scope level."
      if (!withinScope(scope, env.credentials.scope)) return env.oauthError(400, 'invalid_scope', 'The scope exceeds the scopes of the client.')

      if (grantType === 'client_credentials') {
        const token = env.issue()
        return env.json(200, { token_type: 'Bearer', expires_in: token.expiresInSeconds, access_token: token.accessToken })
      }
      if (grantType === 'authorization_code') {
        const code = field('code')
        const redirectUri = field('redirect_uri')
        if (!code || !redirectUri) return env.oauthError(400, 'invalid_request', 'Missing code or redirect_uri.')
        const redeemed = codes.redeem(code)
        if (redeemed.outcome !== 'redeemed' || redeemed.binding.clientId !== clientId || redeemed.binding.redirectUri !== redirectUri) {
          return env.oauthError(400, 'invalid_grant', 'The authorization code is invalid, expired, already used or was issued for another redirect_uri.')
        }
        if (!withinScope(scope, redeemed.binding.scope)) return env.oauthError(400, 'invalid_scope', 'The scope exceeds the scope the user granted.')
        return tokenPair({ clientId: redeemed.binding.clientId, scope: redeemed.binding.scope })
      }
      const refreshToken = field('refresh_token')
      if (!refreshToken) return env.oauthError(400, 'invalid_request', 'Missing refresh_token.')
      const redeemed = refreshTokens.redeem(refreshToken)
      if (redeemed.outcome === 'replayed') env.stats.refreshTokenReplays++
      if (redeemed.outcome !== 'redeemed' || redeemed.binding.clientId !== clientId) {
        return env.oauthError(400, 'invalid_grant', 'The refresh token is invalid or was already used.')
      }
      // Assumption (the doc is silent): a refresh may not ask beyond the scope the customer granted.
      if (!withinScope(scope, redeemed.binding.scope)) return env.oauthError(400, 'invalid_scope', 'The scope exceeds the scope the user granted.')
      return tokenPair(redeemed.binding)
    }

    // As if the user logged in and consented at once: the browser is sent straight back.
    const authorize = (req: EmulatedRequest): EmulatorReply => {
      const query = req.url.searchParams
      const redirectUri = query.get('redirect_uri')
      const scope = query.get('scope')
      const state = query.get('state')
      if (query.get('client_id') !== env.credentials.clientId) return refusePage(env, 'Unknown client.')
      if (!redirectUri || !isRegisteredRedirect(env, redirectUri)) return refusePage(env, 'The redirect_uri is not registered for this client.')
      if (query.get('response_type') !== 'code') return refusePage(env, 'response_type must be code.')
      if (!scope || !withinScope(scope, env.credentials.scope)) return refusePage(env, 'The scope is missing or exceeds the scopes of the client.')
      // Assumption (labelled in the spec): the doc lists state but never says it is refused without.
      if (!state) return refusePage(env, 'Missing state.')
      const location = new URL(redirectUri)
      location.searchParams.set('code', codes.issue({ clientId: env.credentials.clientId, redirectUri, scope }))
      location.searchParams.set('state', state)
      return env.empty(302, { location: location.href, 'cache-control': 'no-store' })
    }

    return {
      operations: { requestAccessToken, authorize },
      async authorize(params) {
        const url = new URL(env.urlOf('authorize'))
        url.searchParams.set('scope', params.scope ?? env.credentials.scope)
        url.searchParams.set('state', params.state ?? env.mintToken())
        url.searchParams.set('response_type', 'code')
        url.searchParams.set('client_id', env.credentials.clientId)
        url.searchParams.set('redirect_uri', params.redirectUri)
        const res = await fetch(url, { redirect: 'manual' })
        await res.arrayBuffer()
        const location = res.headers.get('location')
        const back = location ? new URL(location) : undefined
        const code = back?.searchParams.get('code')
        if (res.status !== 302 || !code || !back) throw new Error(`authorize was refused with status ${res.status}`)
        return { code, state: back.searchParams.get('state') ?? '' }
      },
    }
  },
}

/** PostFinance for the conformance engine. */
export const carrier = {
  name: 'postfinance',
  emulator,
  matrix: {
    secretField: 'clientSecret',
    rotatesRefreshTokens: true,
    live: {
      environment: 'production',
      variables: { clientId: 'POSTFINANCE_CLIENT_ID', clientSecret: 'POSTFINANCE_CLIENT_SECRET', scope: 'POSTFINANCE_SCOPE' },
    },
  },
} as const satisfies CarrierModule<PostFinanceCredentials>
