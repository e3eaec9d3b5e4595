import { createHash, timingSafeEqual } from 'node:crypto'

/** `type/subtype` in lower case, parameters (charset…) dropped: `undefined` when absent. */
export function mediaType(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase()
  return essence ? essence : undefined
}

export function isJsonMediaType(type: string | undefined): boolean {
  return type === 'application/json' || (type?.endsWith('+json') ?? false)
}

/** Form fields as a plain object of strings; the first value wins, as servlet containers do. */
export function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value
  return fields
}

/** The parsed JSON value, or `undefined` when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export interface BasicCredentials {
  user: string
  password: string
}

/** RFC 7617: the user id is everything before the FIRST colon, so secrets may contain colons. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** `application/x-www-form-urlencoded` decoding of one value (`+` is a space); `undefined` when malformed. */
export function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

export function parseBearer(header: string | undefined): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
}

/** Compares secrets without leaking their length or content through timing: digests have one length. */
export function secretEquals(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(expected), digest(presented))
}
