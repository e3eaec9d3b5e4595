import { createServer } from 'node:http'
import { createPacklyAuth } from '@carrier-auth/packly'
import createClient from 'openapi-fetch'
import { compare, fmt, ratio } from './harness.mjs'

/** A loopback resource API that checks for a bearer header and answers a small JSON body. */
async function resourceServer() {
  const server = createServer((req, res) => {
    const ok = (req.headers.authorization ?? '').startsWith('Bearer ')
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    res.end(ok ? '{"ok":true}' : '{}')
  })
  server.keepAliveTimeout = 60_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }
}

/** Requests per second through openapi-fetch with auth.middleware(), against the same client with a static header. */
export async function middleware(emulator) {
  const api = await resourceServer()
  try {
    const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url })
    const token = await auth.getToken()
    const withAuth = createClient({ baseUrl: api.url })
    withAuth.use(auth.middleware())
    const staticHeader = createClient({ baseUrl: api.url, headers: { Authorization: token.authorizationHeader } })
    const result = await compare(
      {
        'openapi-fetch + auth.middleware()': () => withAuth.GET('/orders'),
        'openapi-fetch + static header': () => staticHeader.GET('/orders'),
      },
      { n: 2000, rounds: 9, warmup: 2 },
    )
    const r = result['openapi-fetch + auth.middleware()'] / result['openapi-fetch + static header']
    return {
      title: 'Middleware: requests per second against a loopback API',
      rows: Object.entries(result).map(([name, ops]) => [name, `${fmt(ops)} req/s`]),
      verdicts: [['throughput vs static header (goal ≥ 0.95)', ratio(result['openapi-fetch + auth.middleware()'], result['openapi-fetch + static header']), r >= 0.95]],
    }
  } finally {
    await api.close()
  }
}
