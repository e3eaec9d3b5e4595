/** One answer, before serialisation; the server validates it against the spec and sends it. */
export interface Reply {
  status: number
  /** Lower-case names; `content-type` included. */
  headers: Record<string, string>
  json?: unknown
  text?: string
  /** Deliberately off-spec (a fault): sent as is, never validated. */
  offSpec?: boolean
  /** A body field left out on purpose (a fault): the rest of the answer is still validated. */
  omitted?: string
  /** A body streamed in chunks instead of held: `prefix`, `fill` bytes of `A`, `suffix`. */
  stream?: { prefix: string; fill: number; suffix: string; report?(bytesSent: number, complete: boolean): void }
  /** Destroy the socket instead of answering. */
  drop?: boolean
}

export function jsonReply(status: number, json: unknown, contentType = 'application/json', headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, json }
}

export function textReply(status: number, text: string, contentType: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, text }
}

export function emptyReply(status: number, headers: Record<string, string> = {}, offSpec = false): Reply {
  return { status, headers, ...(offSpec ? { offSpec } : {}) }
}

export function serialise(reply: Reply): string {
  if (reply.text !== undefined) return reply.text
  return reply.json === undefined ? '' : JSON.stringify(reply.json)
}

/** RFC 6749 §5.2 error body, the shape most of the carriers use. */
export function oauthError(status: number, error: string, description: string, contentType = 'application/json'): Reply {
  return jsonReply(status, { error, error_description: description }, contentType)
}
