/**
 * Redaction primitives. Everything that could carry a secret (tokens, errors) renders through
 * these, so that `console.log`, `JSON.stringify`, `util.inspect` and template strings show a
 * placeholder instead of the value.
 *
 * `Symbol.for('nodejs.util.inspect.custom')` is the registered symbol Node's `util.inspect` looks
 * up; using it through the global registry keeps core free of `node:` imports (Deno, Bun and
 * edge runtimes ignore it).
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never

export const REDACTED = '[redacted]'

/** Keys whose values are secrets wherever they appear in a carrier's body or headers. */
const SECRET_KEY = /token|secret|password|authorization|api[_-]?key|credential|^code$/i

/**
 * A copy of a JSON-like value with every secret-looking field replaced, and every known secret
 * value scrubbed wherever it appears (a server that echoes the secret, the Basic value or the
 * form body keeps none of them), for error bodies kept for debugging. Depth is bounded: error
 * bodies are small, and a hostile body must not recurse.
 */
export function redactBody(value: unknown, depth = 0, secrets: readonly string[] = []): unknown {
  if (depth > 4) return REDACTED
  if (typeof value === 'string') {
    const clean = scrub(value, secrets)
    return clean.length > 512 ? `${clean.slice(0, 512)}…` : clean
  }
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactBody(v, depth + 1, secrets))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[scrub(k, secrets)] = SECRET_KEY.test(k) ? REDACTED : redactBody(v, depth + 1, secrets)
    }
    return out
  }
  return value
}

/**
 * A bodiless copy of a carrier's answer for an error to keep: its status and headers, with
 * secret-looking headers and every known secret value scrubbed. The body was read already, and
 * lives (redacted) in the error's `body`.
 */
export function redactResponse(response: Response, secrets: readonly string[]): Response | undefined {
  const headers = new Headers()
  response.headers.forEach((value, name) => {
    headers.set(name, SECRET_KEY.test(name) || name === 'set-cookie' ? REDACTED : scrub(value, secrets))
  })
  try {
    return new Response(null, { status: response.status, statusText: scrub(response.statusText, secrets), headers })
  } catch {
    return undefined
  }
}

/** Replaces every occurrence of the given secrets (of 4 characters or more) in a text with [redacted]. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join(REDACTED)
  }
  return out
}
