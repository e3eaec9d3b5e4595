// The app every runtime in the matrix serves, written against web APIs only (Request, Response,
// crypto.subtle) so the same file runs on Node, Bun, Deno, workerd and edge-runtime.
// One auth lives at module scope, as in a real deployment: POST /setup builds it (the driver
// sends the emulator's URL and credentials), GET /token asks it for a token.

/** A token is never sent back: the driver compares tokens by this digest. */
async function fingerprint(value) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return [...new Uint8Array(digest)].slice(0, 8).map((b) => b.toString(16).padStart(2, '0')).join('')
}

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/**
 * `createPostiAuth` comes from the packed package, imported by each runtime's entry file the way
 * that runtime imports packages. `backgroundTasks` is the runtime's waitUntil, where it has one.
 */
export function createApp(createPostiAuth, { backgroundTasks } = {}) {
  let auth
  return async function handle(request) {
    const url = new URL(request.url)
    if (request.method === 'POST' && url.pathname === '/setup') {
      const setup = await request.json()
      auth = createPostiAuth({
        baseUrl: setup.baseUrl,
        username: setup.username,
        password: setup.password,
        refreshAheadMs: setup.refreshAheadMs,
        expiryBufferMs: setup.expiryBufferMs,
        ...(setup.waitUntil && backgroundTasks ? { backgroundTasks } : {}),
      })
      return new Response(null, { status: 204 })
    }
    if (request.method === 'GET' && url.pathname === '/token') {
      if (!auth) return json({ error: 'not set up' }, 409)
      try {
        const token = await auth.getToken()
        return json({ id: await fingerprint(token.accessToken), expiresAt: token.expiresAt })
      } catch (error) {
        return json({ error: error?.code ?? error?.name ?? 'unknown' }, 500)
      }
    }
    return json({ error: 'not found' }, 404)
  }
}
