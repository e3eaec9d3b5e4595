import type { Middleware } from 'openapi-fetch'
import type { TokenProvider } from './token-provider.js'

/**
 * A request can be sent again unless its body is a one-shot stream the caller handed us.
 * Bodies openapi-fetch serialises (JSON, forms, FormData) and strings, blobs and buffers are
 * cloned cheaply; a ReadableStream would have to be buffered whole, so it is not replayed.
 */
function replayable(init?: RequestInit): boolean {
  const body = init?.body
  return !(body && typeof (body as ReadableStream).getReader === 'function')
}

interface Sent {
  token: string
  replay: Request | undefined
}

/**
 * openapi-fetch middleware for a carrier's other APIs: adds `Authorization: Bearer …`, and when
 * the API answers 401 invalidates that token (only if it is still the cached one) and sends the
 * request once more with a fresh token. A second 401 is returned as it is.
 */
export function authMiddleware(provider: TokenProvider): Middleware {
  const sent = new Map<string, Sent>()
  return {
    async onRequest({ request, id }) {
      const token = await provider.getToken()
      // A bodiless request can be rebuilt from itself after it was sent; only a body needs a copy
      // made now, before fetch consumes it.
      sent.set(id, { token: token.accessToken, replay: request.body === null ? request : request.clone() })
      request.headers.set('Authorization', token.authorizationHeader)
      return request
    },
    async onResponse({ response, id, options }) {
      const s = sent.get(id)
      sent.delete(id)
      if (!s || response.status !== 401) return undefined
      await provider.invalidate(s.token)
      if (!s.replay) return undefined
      const fresh = await provider.getToken()
      const retry = new Request(s.replay)
      retry.headers.set('Authorization', fresh.authorizationHeader)
      await response.body?.cancel().catch(() => {})
      return options.fetch(retry)
    },
    onError({ id }) {
      sent.delete(id)
    },
  }
}

/**
 * A body `fetch` reads afresh each time it is given it, so the same `init` can be sent twice:
 * none, a string, URLSearchParams, a buffer or view, a Blob or FormData. (A stream is one-shot.)
 */
function resendable(body: RequestInit['body']): boolean {
  return (
    body == null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof Blob === 'function' && body instanceof Blob) ||
    (typeof FormData === 'function' && body instanceof FormData)
  )
}

/** `init` with its headers and `Authorization` set (replacing one the caller gave, in any case). */
function withAuthorization(init: RequestInit | undefined, header: string): RequestInit {
  const given = init?.headers
  if (given === undefined) return { ...init, headers: { authorization: header } }
  const headers = new Headers(given)
  headers.set('authorization', header)
  return { ...init, headers }
}

/** `fetch` with the bearer header, and the same invalidate-and-retry-once on a 401. */
export function authFetch(provider: TokenProvider, baseFetch: () => typeof globalThis.fetch) {
  /**
   * A URL with a body fetch can send again needs no Request of ours: the call is passed on with
   * the header added, and the retry is the same call with the fresh header.
   */
  async function direct(input: string | URL, init: RequestInit | undefined): Promise<Response> {
    const token = await provider.getToken()
    const response = await baseFetch()(input, withAuthorization(init, token.authorizationHeader))
    if (response.status !== 401) return response
    await provider.invalidate(token)
    const fresh = await provider.getToken()
    await response.body?.cancel().catch(() => {})
    return baseFetch()(input, withAuthorization(init, fresh.authorizationHeader))
  }

  return function fetchWithAuth(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if ((typeof input === 'string' || input instanceof URL) && resendable(init?.body)) return direct(input, init)
    return viaRequest(input, init)
  }

  /** A Request, or a stream body: copied before it is sent (a stream is not replayed). */
  async function viaRequest(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init)
    const replay = replayable(init) ? request.clone() : undefined
    const token = await provider.getToken()
    request.headers.set('Authorization', token.authorizationHeader)
    const response = await baseFetch()(request)
    if (response.status !== 401) return response
    await provider.invalidate(token)
    if (!replay) return response
    const fresh = await provider.getToken()
    replay.headers.set('Authorization', fresh.authorizationHeader)
    await response.body?.cancel().catch(() => {})
    return baseFetch()(replay)
  }
}
