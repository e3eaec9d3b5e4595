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

  /**
   * `now` dates every answer (the Date header), by the emulator's clock like the rest of its answers.
   * `malformed` hears of every request the server answered 400 itself, before any handler saw it.
   */
  constructor(
    private readonly handle: Handler,
    private readonly now: () => number = Date.now,
    private readonly malformed: (problem: string) => void = () => {},
  ) {
    this.server = createServer((req, res) => this.receive(req, res))
    // A request Node's parser cannot read (a bad request line, a broken header): 400, never a crash.
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      // A client that hung up (it stopped reading an answer) sent nothing malformed.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return socket.destroy()
      this.malformed(`unparseable request (${error.code ?? 'parse error'})`)
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      else socket.destroy()
    })
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
      const respond: Respond = (reply, options) => send(req, res, reply, options?.gzip ?? false, this.now())
      const url = requestUrl(req.url ?? '', this.origin)
      if (!url) {
        this.malformed(`${req.method ?? '?'} with a malformed request target`)
        return respond({ status: 400, headers: { 'content-type': 'application/json' }, json: { error: 'invalid_request', error_description: 'Malformed request target.' } })
      }
      try {
        this.handle({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, respond)
      } catch {
        // The handlers guard themselves; this is the last net that keeps the process alive.
        respond({ status: 500, headers: { 'content-type': 'application/json' }, json: { error: 'server_error' } })
      }
    })
  }
}

/**
 * The URL of a request target: origin-form (`/path?query`) or absolute-form (`http://host/path`);
 * `undefined` for anything else: `//…` (RFC 3986 paths never start with `//`), `*`, `http://[`.
 */
function requestUrl(target: string, origin: string): URL | undefined {
  try {
    if (target.startsWith('/') && !target.startsWith('//')) return new URL(origin + target)
    if (/^https?:\/\//i.test(target)) return new URL(target)
  } catch {
    // Falls through: malformed.
  }
  return undefined
}

const CHUNK = Buffer.alloc(64 * 1024, 'A')

/** Writes a large body as the client reads it (backpressure), and stops when the client hangs up. */
function stream(res: ServerResponse, status: number, headers: Record<string, string>, body: NonNullable<Reply['stream']>): void {
  const total = Buffer.byteLength(body.prefix) + body.fill + Buffer.byteLength(body.suffix)
  res.writeHead(status, { ...headers, 'content-length': String(total) })
  let sent = 0
  let left = body.fill
  let done = false
  const finish = (complete: boolean) => {
    if (done) return
    done = true
    body.report?.(sent, complete)
  }
  res.on('close', () => finish(false))
  const write = (chunk: Buffer | string): boolean => {
    sent += Buffer.byteLength(chunk)
    return res.write(chunk)
  }
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left)
      left -= piece.length
      if (!write(piece)) return void res.once('drain', pump)
    }
    if (res.destroyed) return finish(false)
    write(body.suffix)
    res.end(() => finish(true))
  }
  write(body.prefix)
  pump()
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
  if (reply.stream) return stream(res, reply.status, headers, reply.stream)
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
