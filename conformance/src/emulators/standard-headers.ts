import type { Reply } from './reply.js'

/**
 * The headers RFC 6749 requires of a token endpoint, for carriers that describe themselves as
 * standard OAuth 2.0 (their spec's `x-carrier-auth-facts.oauth2Standard`). The docs show neither;
 * sending them is the assumption that the carriers do what they claim, labelled in the specs.
 * §5.1: token answers carry `Cache-Control: no-store` and `Pragma: no-cache`. §5.2: a 401 to a
 * client that authenticated with the Authorization header carries a matching `WWW-Authenticate`.
 */
export function withStandardHeaders(reply: Reply, carrier: string, sentBasic: boolean): Reply {
  const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache', ...reply.headers }
  if (reply.status === 401 && sentBasic) headers['www-authenticate'] ??= `Basic realm="${carrier}"`
  return { ...reply, headers }
}
