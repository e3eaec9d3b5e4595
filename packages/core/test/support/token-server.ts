import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One scripted answer; `drop` closes the socket without a response, `hang` never answers. */
export type Answer =
  | { status: number; body?: unknown; raw?: string; headers?: Record<string, string> }
  | { drop: true }
  | { hang: true }

export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

/**
 * A real OAuth-style token server on 127.0.0.1 for core's own tests (core cannot depend on the
 * conformance emulators, which depend on core). It issues `tok-1`, `tok-2`, … unless answers are
 * queued, and serves `/resource`, which accepts only the tokens listed in `validTokens`.
 */
export interface TokenServerOptions {
  expiresIn?: number | undefined
  /**
   * Check Basic credentials: only this secret is accepted, and, like Posti, an account is locked
   * (every answer 401, the right secret too) after `lockAfter` failed logins.
   */
  secret?: string
  lockAfter?: number
  /** Hold every 401 this long before answering (the failure is counted when the request arrives). */
  rejectAfterMs?: number
  /** Hold every token answer this long (real time), to see how many requests overlap. */
  answerDelayMs?: number
}

export async function startTokenServer(options: TokenServerOptions = {}) {
  const queue: Answer[] = []
  const received: ReceivedRequest[] = []
  const validTokens = new Set<string>()
  const sockets = new Set<Socket>()
  let issued = 0
  /** Token requests received and not yet answered, and the most there ever were at once. */
  const load = { inFlight: 0, maxInFlight: 0 }
  let resourceRequests = 0
  /** Failed logins per account name, as the server counted them. */
  const failedLogins = new Map<string, number>()
  const locked = new Set<string>()
  const resource = { rejectAll: false }

  const answer = (res: ServerResponse, a: Answer) => {
    if (!options.answerDelayMs) return send(res, a)
    setTimeout(() => send(res, a), options.answerDelayMs).unref()
  }
  const send = (res: ServerResponse, answer: Answer) => {
    if (res.req.url?.startsWith('/resource') !== true) load.inFlight--
    if ('drop' in answer) return res.socket?.destroy()
    if ('hang' in answer) return
    const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body))
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(text)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      if (path.startsWith('/resource')) {
        resourceRequests++
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
        return send(res, !resource.rejectAll && validTokens.has(token) ? { status: 200, body: { ok: true, body: Buffer.concat(chunks).toString() } } : { status: 401 })
      }
      load.inFlight++
      load.maxInFlight = Math.max(load.maxInFlight, load.inFlight)
      received.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString() })
      const next = queue.shift()
      if (next) return answer(res, next)
      if (options.secret !== undefined) {
        const [user = '', pass = ''] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')
        if (locked.has(user) || pass !== options.secret) {
          const failures = (failedLogins.get(user) ?? 0) + 1
          failedLogins.set(user, failures)
          if (options.lockAfter !== undefined && failures >= options.lockAfter) locked.add(user)
          const reject = () => answer(res, { status: 401, body: { error: 'invalid_client' } })
          if (options.rejectAfterMs) setTimeout(reject, options.rejectAfterMs).unref()
          else reject()
          return
        }
      }
      const token = `tok-${++issued}`
      validTokens.add(token)
      const body: Record<string, unknown> = { access_token: token, token_type: 'bearer' }
      if (options.expiresIn !== undefined) body.expires_in = options.expiresIn
      answer(res, { status: 200, body })
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
    received,
    validTokens,
    /** Set `rejectAll` to make /resource answer 401 to every token. */
    resource,
    /** Token requests in flight now and at most at once. */
    load,
    get tokenRequests() {
      return received.length
    },
    /** Failed logins the server counted for an account name. */
    failedLogins: (user: string) => failedLogins.get(user) ?? 0,
    isLocked: (user: string) => locked.has(user),
    get resourceRequests() {
      return resourceRequests
    },
    /** Queues answers for the next token requests, in order. */
    queue(...answers: Answer[]) {
      queue.push(...answers)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

export type TokenServer = Awaited<ReturnType<typeof startTokenServer>>
