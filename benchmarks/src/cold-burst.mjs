import { startEmulator } from '@carrier-auth/conformance'
import { createPacklyAuth } from '@carrier-auth/packly'
import { fmt } from './harness.mjs'
import { badgatewayFetch, openidClient, simpleOauth2 } from './peers.mjs'

const CALLERS = 10_000

/** 10,000 concurrent getToken() on a cold cache: token requests made, and time to the last caller. */
async function burst(name, make) {
  const emulator = await startEmulator('packly')
  try {
    const client = make(emulator)
    const start = performance.now()
    const results = await Promise.allSettled(Array.from({ length: CALLERS }, () => client.getToken()))
    const ms = performance.now() - start
    const failed = results.filter((r) => r.status === 'rejected').length
    return [name, `${fmt(emulator.stats.tokenRequests)} token requests`, `${ms.toFixed(0)} ms to the last caller`, failed ? `${failed} callers failed` : 'all served']
  } finally {
    await emulator.close()
  }
}

export async function coldBurst() {
  const rows = [
    await burst('carrier-auth', (e) => createPacklyAuth({ ...e.credentials, baseUrl: e.url })),
    await burst('@badgateway/oauth2-client OAuth2Fetch', badgatewayFetch),
    await burst('openid-client 6 (cached, expiresIn() check)', openidClient),
    await burst('simple-oauth2 (cached, expired() check)', simpleOauth2),
  ]
  return {
    title: `Cold burst: ${fmt(CALLERS)} concurrent getToken() on a cold cache`,
    rows,
    verdicts: [['carrier-auth makes exactly one token request', rows[0][1], rows[0][1] === '1 token requests']],
  }
}
