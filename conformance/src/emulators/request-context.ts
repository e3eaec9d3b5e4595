import type { EmulatorRequest } from './carrier.js'
import type { IncomingRequest } from './server.js'
import type { BasicCredentialsMode } from './types.js'
import { formDecode, mediaType, parseBasicAuth, parseForm, parseJson, secretEquals } from './wire.js'

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export interface ContextOptions {
  /** While an `invalid_credentials` fault is applied: every credential check fails. */
  rejectCredentials: boolean
  basicCredentials: BasicCredentialsMode
  failedLogin(): void
  violation(problem: string): void
}

/** One request as a carrier's handler sees it, with the parsing and credential checks they share. */
export function requestContext(req: IncomingRequest, options: ContextOptions): EmulatorRequest {
  // Every pair is compared, so a wrong id takes as long as a wrong secret.
  const credentialsMatch = (pairs: ReadonlyArray<readonly [string, string | undefined]>) =>
    pairs.map(([expected, presented]) => secretEquals(expected, presented)).every(Boolean) && !options.rejectCredentials
  const type = mediaType(firstHeader(req.headers['content-type']))
  const basic = () => parseBasicAuth(firstHeader(req.headers.authorization))
  // RFC 6749 §2.3.1: a standard client form-encodes id and secret before Base64 (`-` → `%2D`).
  const decoded = () => {
    const raw = basic()
    if (!raw || options.basicCredentials === 'raw') return undefined
    const user = formDecode(raw.user)
    const password = formDecode(raw.password)
    return user === undefined || password === undefined ? undefined : { user, password }
  }
  return {
    method: req.method,
    url: req.url,
    headers: req.headers,
    body: req.body,
    mediaType: type,
    form: () => (type === 'application/x-www-form-urlencoded' || (type === undefined && req.body === '') ? parseForm(req.body) : undefined),
    json: () => parseJson(req.body),
    basic,
    basicAccount: () => decoded()?.user ?? basic()?.user,
    credentialsMatch,
    basicMatches: (user, password) => {
      const raw = basic()
      const form = decoded()
      // Both forms are always compared: which one matched must not show in the timing.
      const asRaw = credentialsMatch([
        [user, raw?.user],
        [password, raw?.password],
      ])
      const asForm = credentialsMatch([
        [user, form?.user],
        [password, form?.password],
      ])
      return asRaw || (form !== undefined && asForm)
    },
    failedLogin: options.failedLogin,
    violation: options.violation,
  }
}
