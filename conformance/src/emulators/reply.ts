import type { EmulatorReply } from '@carrier-auth/core'

/** One answer, before serialisation; the server validates it against the spec and sends it. */
export type Reply = EmulatorReply

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
