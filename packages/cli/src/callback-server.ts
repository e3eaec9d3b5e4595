import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The redirect the browser brought back, and a way to show the person a page in return. */
export interface Callback {
  params: URLSearchParams
  respond(status: number, message: string): Promise<void>
}

export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback`: the redirect URI registered with the carrier. */
  redirectUri: string
  /** The first GET /callback. Later ones are answered 409: one run connects one account. */
  next: Promise<Callback>
  close(): Promise<void>
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page(res: ServerResponse, status: number, message: string): Promise<void> {
  const body = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>carrier-auth</title></head><body><p>${escapeHtml(message)}</p></body></html>\n`
  return new Promise((resolve) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      // The page follows a URL that carried an authorization code: keep it out of caches.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      connection: 'close',
    })
    res.end(body, () => resolve())
  })
}

/**
 * A one-shot HTTP server on 127.0.0.1 (never another interface: the code it receives is worth a
 * token pair) that waits for the authorization redirect at /callback.
 */
export function startCallbackServer(port: number): Promise<CallbackServer> {
  return new Promise((resolveStart, rejectStart) => {
    let received = false
    let deliver!: (callback: Callback) => void
    const next = new Promise<Callback>((resolve) => (deliver = resolve))
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (req.method !== 'GET' || url.pathname !== '/callback') {
        void page(res, 404, 'Not found: carrier-auth waits for the authorization redirect at /callback.')
        return
      }
      if (received) {
        void page(res, 409, 'This authorization was already handled; see the terminal.')
        return
      }
      received = true
      deliver({ params: url.searchParams, respond: (status, message) => page(res, status, message) })
    })
    server.once('error', rejectStart)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', rejectStart)
      const { port: bound } = server.address() as AddressInfo
      resolveStart({
        redirectUri: `http://127.0.0.1:${bound}/callback`,
        next,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve())
            server.closeAllConnections()
          }),
      })
    })
  })
}
