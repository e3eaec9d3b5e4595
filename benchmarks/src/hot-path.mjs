import { createPacklyAuth } from '@carrier-auth/packly'
import { compare, fmt, goal, ratio } from './harness.mjs'
import { badgatewayFetch, openidClient, simpleOauth2 } from './peers.mjs'

/**
 * Cached getToken() and authorizationHeader() per second, beside real floors and the peers, each
 * in its own compiled loop (harness.mjs). Costs are shown as multiples of a bare async call.
 */
export async function hotPath(emulator) {
  const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url })
  const cached = await auth.getToken()
  const header = await auth.authorizationHeader()
  const bare = async () => cached
  // Real floors: a promise built once (no clock read, no async frame), and a Map lookup.
  const prebuilt = Promise.resolve(cached)
  const map = new Map([['account', cached]])
  // The least a cache reading the clock on every call does.
  const clockFloor = async () => (Date.now() < cached.expiresAt ? cached : undefined)
  const oauth2Fetch = badgatewayFetch(emulator)
  await oauth2Fetch.getToken()
  const oidc = openidClient(emulator)
  await oidc.getToken()
  const simple = simpleOauth2(emulator)
  await simple.getToken()
  const result = await compare(
    {
      'floor: a prebuilt resolved promise': () => prebuilt,
      'floor: async Map lookup': async () => map.get('account'),
      'bare async () => cachedToken': () => bare(),
      'floor: async () => Date.now() < expiresAt && cachedToken': () => clockFloor(),
      'carrier-auth getToken()': () => auth.getToken(),
      'carrier-auth authorizationHeader()': () => auth.authorizationHeader(),
      'floor: async () => header string': async () => header,
      '@badgateway/oauth2-client OAuth2Fetch.getToken()': () => oauth2Fetch.getToken(),
      'openid-client 6 (cached, expiresIn() check)': () => oidc.getToken(),
      'simple-oauth2 (cached, expired() check)': () => simple.getToken(),
    },
    { n: 200_000 },
  )
  const ours = result['carrier-auth getToken()']
  const base = result['bare async () => cachedToken']
  const headerOps = result['carrier-auth authorizationHeader()']
  const peers = ['@badgateway/oauth2-client OAuth2Fetch.getToken()', 'openid-client 6 (cached, expiresIn() check)', 'simple-oauth2 (cached, expired() check)']
  return {
    title: 'Hot path: cached getToken() and authorizationHeader()',
    rows: Object.entries(result).map(([name, ops]) => [name, `${fmt(ops)} ops/s`, `${ratio(base, ops)}× the bare cost`]),
    verdicts: [
      goal('cached getToken() vs a bare async call (goal ≤ 1.0×)', base / ours, 1.0),
      goal('authorizationHeader() vs a bare async call (goal ≤ 1.1×)', base / headerOps, 1.1),
      ...peers.map((p) => goal(`cached getToken() throughput vs ${p.split(' ')[0]} (goal ≥ 1×)`, ours / result[p], 1, { lower: false })),
    ],
  }
}
