/**
 * The fetch every token request goes through. A token request carries a secret (a Basic value,
 * a client secret, a refresh token), so it is never sent anywhere but the endpoint it was
 * addressed to: redirects are not followed. And a token answer is small, so it is read with a
 * size limit: a hostile or broken server cannot make the client buffer megabytes.
 */

/** Largest token answer read, in bytes. Real ones are a few hundred bytes to a few KB. */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024

/** A token answer refused before it was read (a redirect, an oversized body). */
export class RefusedAnswer extends Error {
  override readonly name = 'RefusedAnswer'
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail)
  }
}

/** The host a redirect points at, never its path or query (they may carry a code or a token). */
function targetHost(location: string | null, base: string): string {
  if (!location) return 'an unnamed location'
  try {
    return new URL(location, base).host || 'an unnamed location'
  } catch {
    return 'an unreadable location'
  }
}

/** A body stream that errors once more than `limit` bytes have arrived, and stops reading. */
function limited(body: ReadableStream<Uint8Array>, limit: number, status: number): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let seen = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) return controller.close()
      seen += value.byteLength
      if (seen > limit) {
        await reader.cancel().catch(() => {})
        return controller.error(new RefusedAnswer(status, `the body is larger than ${limit / 1024} KB`))
      }
      controller.enqueue(value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

export function guardedFetch(fetchImpl: () => typeof globalThis.fetch, limit = MAX_TOKEN_ANSWER_BYTES) {
  return async (request: Request): Promise<Response> => {
    const response = await fetchImpl()(request.redirect === 'manual' ? request : new Request(request, { redirect: 'manual' }))
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {})
      const status = response.type === 'opaqueredirect' ? 0 : response.status
      throw new RefusedAnswer(status, `a redirect (HTTP ${status || '3xx'}) to ${targetHost(response.headers.get('location'), request.url)}, which is not followed: it would carry the credentials elsewhere`)
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    if (length > limit) {
      await response.body?.cancel().catch(() => {})
      throw new RefusedAnswer(response.status, `the body is larger than ${limit / 1024} KB`)
    }
    if (!response.body) return response
    return new Response(limited(response.body, limit, response.status), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}
