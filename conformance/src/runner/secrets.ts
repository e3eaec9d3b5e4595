import { REDACTED, scrub } from '@carrier-auth/core'

/** What a cell knows to be secret: the credentials it used, every token it saw, and their Basic forms. */
export function cellSecrets(input: {
  credentials: Record<string, string>
  wrongCredentials: Record<string, string>
  secretField: string
  tokens: Iterable<string>
}): string[] {
  const out = new Set<string>()
  for (const credentials of [input.credentials, input.wrongCredentials]) {
    const secret = credentials[input.secretField]
    if (!secret) continue
    out.add(secret)
    // An Authorization header holding the secret, raw (as the packages send it) and RFC 6749 §2.3.1 form-encoded.
    for (const [field, id] of Object.entries(credentials)) {
      if (field === input.secretField || !id) continue
      out.add(base64(`${id}:${secret}`))
      out.add(base64(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`))
    }
  }
  for (const token of input.tokens) if (token) out.add(token)
  // Longest first, so a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length)
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

// Any credential after an auth scheme, known or not: a last net for values the cell never saw. A
// credential has a digit or a symbol in it, which keeps prose ("Basic authentication") readable.
const AUTH_VALUE = /\b(basic|bearer)(\s+|%20|\+)(?=[A-Za-z0-9+/=._~%-]*[0-9+/=_~%-])[A-Za-z0-9+/=._~%-]{8,}/gi

/**
 * The one scrubber for report text (junit.xml, summary.md, annotations): the cell's known secrets
 * through core's `scrub`, the same list the leak check looks for, then any `Basic …`/`Bearer …` value.
 */
export function scrubReportText(text: string, secrets: readonly string[]): string {
  return scrub(text, secrets).replace(AUTH_VALUE, (_, scheme: string, gap: string) => `${scheme}${gap}${REDACTED}`)
}
