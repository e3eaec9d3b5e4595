import type { Reply } from './reply.js'
import type { HostileTokenVariant } from './types.js'
import { isRecord } from './wire.js'

const YEAR_SECONDS = 366 * 24 * 3600

/**
 * A success answer made hostile: an access token that cannot go into an HTTP header, or a lifetime
 * no sane token has. Off-spec by design, so never validated; the token it carries is still one the
 * emulator issued, so the leak check still looks for it.
 */
export function hostileToken(reply: Reply, variant: HostileTokenVariant, fields: { accessToken: string; lifetime: string }): Reply {
  if (reply.status !== 200 || !isRecord(reply.json)) return reply
  const body = { ...reply.json }
  const token = String(body[fields.accessToken])
  // Pitney Bowes sends its lifetime as a string of seconds: a hostile one keeps that encoding.
  const asCarrier = (seconds: number) => (typeof body[fields.lifetime] === 'string' ? String(seconds) : seconds)
  switch (variant) {
    case 'crlf':
      body[fields.accessToken] = `${token}\r\nX-Injected: 1`
      break
    case 'non_latin1':
      body[fields.accessToken] = `${token}€漢`
      break
    case 'negative_lifetime':
      body[fields.lifetime] = asCarrier(-3600)
      break
    case 'zero_lifetime':
      body[fields.lifetime] = asCarrier(0)
      break
    case 'string_lifetime':
      body[fields.lifetime] = '-5'
      break
    case 'huge_lifetime':
      body[fields.lifetime] = asCarrier(10 * YEAR_SECONDS)
      break
  }
  return { ...reply, json: body, offSpec: true }
}

/**
 * A carrier-shaped success answer whose access token is padded to `bytes` in all: valid JSON, so a
 * client that reads it whole gets a "token" of 50 MB. Streamed, never built in memory.
 */
export function oversizedToken(reply: Reply, bytes: number, accessTokenField: string): Reply {
  if (reply.status !== 200 || !isRecord(reply.json)) return reply
  const marker = '\u0000PAD\u0000'
  const text = JSON.stringify({ ...reply.json, [accessTokenField]: marker })
  const [prefix = '', suffix = ''] = text.split(JSON.stringify(marker).slice(1, -1))
  const fill = Math.max(0, bytes - prefix.length - suffix.length)
  return { status: 200, headers: { 'content-type': reply.headers['content-type'] ?? 'application/json' }, stream: { prefix, fill, suffix }, offSpec: true }
}
