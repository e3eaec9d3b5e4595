import { createPacklyAuth } from '@carrier-auth/packly'
import { compare, fmt, ratio } from './harness.mjs'
import { badgatewayFetch, simpleOauth2 } from './peers.mjs'

/** Cached getToken() per second, beside a bare `async () => cachedToken` and the peers. */
export async function hotPath(emulator) {
  const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url })
  const cached = await auth.getToken()
  const bare = async () => cached
  // Real floors: a promise built once (no clock read, no async frame), and a Map lookup.
  const prebuilt = Promise.resolve(cached)
  const map = new Map([['account', cached]])
  // The least any correct cache does: read the clock before handing out a token.
  const clockFloor = async () => (Date.now() < cached.expiresAt ? cached : undefined)
  const oauth2Fetch = badgatewayFetch(emulator)
  await oauth2Fetch.getToken()
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
      '@badgateway/oauth2-client OAuth2Fetch.getToken()': () => oauth2Fetch.getToken(),
      'simple-oauth2 (cached, expired() check)': () => simple.getToken(),
    },
    { n: 200_000 },
  )
  const ours = result['carrier-auth getToken()']
  const base = result['bare async () => cachedToken']
  return {
    title: 'Hot path: cached getToken()',
    rows: Object.entries(result).map(([name, ops]) => [name, `${fmt(ops)} ops/s`, `${ratio(base, ops)}× the bare cost`]),
    verdicts: [
      [`cost vs bare async (goal ≤ 1.2×)`, `${ratio(base, ours)}×`, base / ours <= 1.2],
      [`cost vs the clock-reading floor (≤ 1.2×)`, `${ratio(result['floor: async () => Date.now() < expiresAt && cachedToken'], ours)}×`, result['floor: async () => Date.now() < expiresAt && cachedToken'] / ours <= 1.2],
      [`cost vs a prebuilt resolved promise`, `${ratio(result['floor: a prebuilt resolved promise'], ours)}×`, true],
      [`cheaper than OAuth2Fetch.getToken()`, `${ratio(ours, result['@badgateway/oauth2-client OAuth2Fetch.getToken()'])}× its throughput`, ours > result['@badgateway/oauth2-client OAuth2Fetch.getToken()']],
    ],
  }
}
