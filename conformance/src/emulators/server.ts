import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import { serialise, type Reply } from './reply.js'

export interface IncomingRequest {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  body: string
}

export type Respond = (reply: Reply, options?: { gzip?: boolean }) => void
export type Handler = (req: IncomingRequest, respond: Respond) => void

// Token requests are a few hundred bytes; anything much larger is a client bug, not a token request.
const MAX_BODY_BYTES = 64 * 1024

/**
 * The HTTP plumbing every emulator shares: 127.0.0.1 only, bodies read whole, and a close() that
 * leaves nothing behind (keep-alive sockets and pending slow answers would keep a test run alive).
 */
export class HttpServer {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private closing: Promise<void> | undefined

  /** `now` dates every answer (the Date header), by the emulator's clock like the rest of its answers. */
  constructor(
    private readonly handle: Handler,
    private readonly now: () => number = Date.now,
  ) {
    this.server = createServer((req, res) => this.receive(req, res))
    this.server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
  }

  get origin(): string {
    const address = this.server.address() as AddressInfo | null
    if (!address) throw new Error('the emulator is not listening')
    return `http://127.0.0.1:${address.port}`
  }

  /** Runs fn after ms unless the server closes first. */
  schedule(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer)
      this.timers.clear()
      this.server.close(() => resolve())
      for (const socket of this.sockets) socket.destroy()
    })
    return this.closing
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    let size = 0
    req.on('error', () => req.socket.destroy())
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) req.socket.destroy()
      else chunks.push(chunk)
    })
    req.on('end', () => {
      const request: IncomingRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', this.origin),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      this.handle(request, (reply, options) => send(req, res, reply, options?.gzip ?? false, this.now()))
    })
  }
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply, gzip: boolean, now: number): void {
  if (reply.drop) {
    req.socket.destroy()
    return
  }
  if (res.destroyed || res.writableEnded) return
  // A real server dates its answers by the same clock that stamps its tokens (Pitney Bowes'
  // issuedAt); with an injected clock the Date header must follow it too.
  const headers: Record<string, string> = { date: new Date(now).toUTCString(), ...reply.headers }
  let body: Buffer = Buffer.from(serialise(reply), 'utf8')
  if (gzip && body.length > 0 && /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = gzipSync(body)
    headers['content-encoding'] = 'gzip'
    headers.vary = 'Accept-Encoding'
  }
  headers['content-length'] = String(body.length)
  res.writeHead(reply.status, headers)
  res.end(body)
}
