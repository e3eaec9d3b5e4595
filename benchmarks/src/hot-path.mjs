import { createPacklyAuth } from '@carrier-auth/packly'
import { compare, fmt, ratio } from './harness.mjs'
import { badgatewayFetch, simpleOauth2 } from './peers.mjs'

/** Cached getToken() per second, beside a bare `async () => cachedToken` and the peers. */
export async function hotPath(emulator) {
  const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url })
  const cached = await auth.getToken()
  const bare = async () => cached
  // The least any correct cache does: read the clock before handing out a token.
  const clockFloor = async () => (Date.now() < cached.expiresAt ? cached : undefined)
  const oauth2Fetch = badgatewayFetch(emulator)
  await oauth2Fetch.getToken()
  const simple = simpleOauth2(emulator)
  await simple.getToken()
  const result = await compare(
    {
      'bare async () => cachedToken': () => bare(),
      'floor: async () => Date.now() < expiresAt && cachedToken': () => clockFloor(),
      'carrier-auth getToken()': () => auth.getToken(),
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
      [`cheaper than OAuth2Fetch.getToken()`, `${ratio(ours, result['@badgateway/oauth2-client OAuth2Fetch.getToken()'])}× its throughput`, ours > result['@badgateway/oauth2-client OAuth2Fetch.getToken()']],
    ],
  }
}
