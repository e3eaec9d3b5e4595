import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { basicAuthorization, defineProfile, formUrlEncoded, readOAuthToken, type Grant } from '../../src/index.js'
import { SECRET, type TestCredentials } from './test-profile.js'

/**
 * A real token server on 127.0.0.1 for the authorization-code grant with single-use refresh tokens
 * (as PostFinance rotates them): a code gives a pair `at-N`/`rt-N`; a refresh with the live refresh
 * token gives the next pair and spends the one sent; any other refresh token is `invalid_grant`.
 * `next` scripts the answer to the next token request: a status, a dropped or held connection, or
 * `dropAfterRotating` (the server rotates, then the answer is lost on the way back).
 */
export type RotatingAnswer = { status: number; body?: unknown } | { drop: true } | { hang: true } | { dropAfterRotating: true }

export async function startRotatingServer(options: { expiresIn?: number; withRefreshToken?: boolean; scope?: string } = {}) {
  const received: Record<string, string>[] = []
  const scripted: RotatingAnswer[] = []
  const sockets = new Set<Socket>()
  let issued = 0
  let live: string | undefined

  const issue = () => {
    issued++
    live = options.withRefreshToken === false ? undefined : `rt-${issued}`
    const body: Record<string, unknown> = { access_token: `at-${issued}`, token_type: 'bearer', expires_in: options.expiresIn ?? 3600 }
    if (live) body.refresh_token = live
    if (options.scope !== undefined) body.scope = options.scope
    return body
  }
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()))
      received.push(form)
      const next = scripted.shift()
      if (next && 'drop' in next) return res.socket?.destroy()
      if (next && 'hang' in next) return
      if (next && 'status' in next) return send(res, next.status, next.body ?? {})
      if (form.grant_type === 'authorization_code') return send(res, 200, issue())
      if (form.grant_type !== 'refresh_token' || form.refresh_token !== live) return send(res, 400, { error: 'invalid_grant' })
      const pair = issue()
      if (next && 'dropAfterRotating' in next) return res.socket?.destroy()
      send(res, 200, pair)
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    /** Every token request's form body, in order. */
    received,
    /** The refresh grants sent, by the refresh token each carried. */
    get refreshesSent() {
      return received.filter((r) => r.grant_type === 'refresh_token').map((r) => r.refresh_token)
    },
    /** The refresh token the server would accept now. */
    get live() {
      return live
    },
    /** Revokes the live refresh token (the customer disconnected the app). */
    revoke() {
      live = undefined
    },
    next(...answers: RotatingAnswer[]) {
      scripted.push(...answers)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

export type RotatingServer = Awaited<ReturnType<typeof startRotatingServer>>

interface paths {
  '/token': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never }
      requestBody: { content: { 'application/x-www-form-urlencoded': Record<string, string> } }
      responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': { access_token: string } } } }
    }
  }
}

function formOf(grant: Grant): Record<string, string> {
  switch (grant.type) {
    case 'client_credentials':
      return { grant_type: 'client_credentials' }
    case 'refresh_token':
      return { grant_type: 'refresh_token', refresh_token: grant.refreshToken, ...(grant.scope === undefined ? {} : { scope: grant.scope }) }
    case 'authorization_code':
      return { grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri, ...(grant.scope === undefined ? {} : { scope: grant.scope }) }
  }
}

/** A carrier with the authorization-code grant and rotating refresh tokens, form-encoded, Basic client auth. */
export const rotatingProfile = defineProfile<paths, TestCredentials & { scope?: string }, 'test'>({
  carrier: 'rotatingcarrier',
  displayName: 'RotatingCarrier',
  environments: { test: null },
  requiredCredentials: ['clientId', 'clientSecret'],
  optionalCredentials: ['scope'],
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret, scope: c.scope }),
  grants: ['client_credentials', 'authorization_code', 'refresh_token'],
  authorizePath: '/authorize',
  requestToken: (client, c, grant, signal) =>
    client.POST('/token', {
      headers: { Authorization: basicAuthorization(c.clientId, c.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formOf(grant),
      bodySerializer: formUrlEncoded,
      signal,
    }),
  readToken: readOAuthToken,
  policy: { defaultLifetimeMs: 3_600_000, refreshAheadMs: 5 * 60_000, credentialsCooldownMs: 60_000 },
})

export const ROTATING_CREDENTIALS = { clientId: 'client-1', clientSecret: SECRET }
