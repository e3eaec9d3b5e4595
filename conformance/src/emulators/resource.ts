import { jsonReply, type Reply } from './reply.js'
import type { AccessTokenLedger } from './tokens.js'
import { parseBearer } from './wire.js'

export const RESOURCE_PATH = '/__emulator/resource'

/** A stand-in for the carrier's other APIs: it accepts exactly the live tokens this emulator issued. */
export function resourceReply(method: string, authorization: string | undefined, ledger: AccessTokenLedger): Reply {
  if (method !== 'GET' && method !== 'POST') return jsonReply(405, { error: 'method_not_allowed' }, 'application/json', { allow: 'GET, POST' })
  const token = parseBearer(authorization)
  if (token !== undefined && ledger.isLive(token)) return jsonReply(200, { ok: true })
  return jsonReply(401, { error: 'invalid_token', error_description: 'The access token is unknown, expired or revoked.' }, 'application/json', {
    'www-authenticate': 'Bearer error="invalid_token"',
  })
}
