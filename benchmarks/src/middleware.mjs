import { createPacklyAuth } from '@carrier-auth/packly'
import createClient from 'openapi-fetch'
import { startChild } from './child.mjs'
import { compareCpu, goal } from './harness.mjs'
import { badgatewayFetch, openidClient } from './peers.mjs'

const us = (x) => `${x.toFixed(1)} µs`

/**
 * Client CPU per request (user + system of this process, with the resource API in a process of
 * its own): openapi-fetch with auth.middleware() beside the same client with a static header, and
 * auth.fetch() beside a plain fetch with a static header and the peers' fetch wrappers.
 */
export async function middleware(emulator) {
  const api = await startChild('./resource-server-child.mjs')
  try {
    const url = `http://127.0.0.1:${api.line}`
    const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url })
    const token = await auth.getToken()
    const staticHeaders = { Authorization: token.authorizationHeader }
    const withAuth = createClient({ baseUrl: url })
    withAuth.use(auth.middleware())
    const staticClient = createClient({ baseUrl: url, headers: staticHeaders })
    const oauth2Fetch = badgatewayFetch(emulator)
    await oauth2Fetch.getToken()
    const oidc = openidClient(emulator)
    await oidc.getToken()
    const drain = async (response) => void (await response.arrayBuffer())
    const contenders = {
      'openapi-fetch + auth.middleware()': () => withAuth.GET('/orders'),
      'openapi-fetch + static header': () => staticClient.GET('/orders'),
      'auth.fetch(url)': () => auth.fetch(`${url}/orders`).then(drain),
      'fetch(url) + static header': () => fetch(`${url}/orders`, { headers: staticHeaders }).then(drain),
      'auth.fetch(url, POST with a JSON string body)': () => auth.fetch(`${url}/orders`, { method: 'POST', body: '{"n":1}' }).then(drain),
      'fetch(url, POST with a JSON string body) + static header': () => fetch(`${url}/orders`, { method: 'POST', body: '{"n":1}', headers: staticHeaders }).then(drain),
      '@badgateway/oauth2-client OAuth2Fetch.fetch(url)': () => oauth2Fetch.fetch(`${url}/orders`).then(drain),
      'openid-client 6 fetchProtectedResource()': () => oidc.fetch(`${url}/orders`).then(drain),
    }
    const cpu = await compareCpu(contenders, { n: 1000, rounds: 7, warmup: 2, concurrency: 8 })
    const vs = (a, b) => cpu[a] / cpu[b]
    return {
      title: 'Middleware and auth.fetch(): client CPU per request against a loopback API in another process',
      rows: Object.entries(cpu).map(([name, x]) => [name, `${us(x)} CPU per request`]),
      verdicts: [
        goal('auth.fetch() vs plain fetch with a static header, client CPU (goal ≤ 1.05×)', vs('auth.fetch(url)', 'fetch(url) + static header'), 1.05, { digits: 3 }),
        goal('auth.fetch() POST with a body vs plain fetch, client CPU (goal ≤ 1.05×)', vs('auth.fetch(url, POST with a JSON string body)', 'fetch(url, POST with a JSON string body) + static header'), 1.05, { digits: 3 }),
        goal('auth.middleware() vs a static header, client CPU (goal ≤ 1.05×)', vs('openapi-fetch + auth.middleware()', 'openapi-fetch + static header'), 1.05, { digits: 3 }),
      ],
    }
  } finally {
    api.close()
  }
}
