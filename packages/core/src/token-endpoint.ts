import type { Client } from 'openapi-fetch'
import { classifyStatus, oauthErrorOf } from './classify.js'
import type { Endpoint } from './config.js'
import { authError, type ErrorFacts, type ErrorSite } from './error-factory.js'
import type { CarrierAuthErrorCode } from './errors.js'
import { RefusedAnswer } from './guarded-fetch.js'
import type { CarrierProfile, Grant, TokenFields } from './profile.js'
import { redactBody, redactResponse } from './redaction.js'
import { parseRetryAfter } from './retry.js'
import { unusableFields } from './token-fields.js'

/** A success answer, with what core needs to date it. */
export interface TokenAnswer {
  fields: TokenFields
  /** The server's `Date` header, epoch ms, when present. */
  serverDate: number | undefined
}

export interface AttemptContext {
  profile: CarrierProfile<{}, unknown, string>
  client: Client<{}>
  credentials: unknown
  endpoint: Endpoint
  grant: Grant
  timeoutMs: number
  now: () => number
  /** Facts every message of this endpoint may state (credential names, cooldown length). */
  facts: ErrorFacts
  /** Values that must not survive in a kept body or response (credentials, tokens, Basic values). */
  secrets: readonly string[]
}

function siteOf(ctx: AttemptContext): ErrorSite {
  return { carrier: ctx.profile.carrier, displayName: ctx.profile.displayName, environment: ctx.endpoint.environment, host: ctx.endpoint.host }
}

function fail(ctx: AttemptContext, code: CarrierAuthErrorCode, facts: ErrorFacts = {}, kept: { response?: Response; body?: unknown; cause?: unknown } = {}) {
  return authError(siteOf(ctx), code, { ...ctx.facts, ...facts }, {
    response: kept.response && redactResponse(kept.response, ctx.secrets),
    body: kept.body === undefined ? undefined : redactBody(kept.body, 0, ctx.secrets),
    cause: kept.cause,
  })
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(text)
}

/** Describes a network failure by its error code (ECONNRESET, …), never by its message. */
export function networkDetail(error: unknown): string | undefined {
  let e: unknown = error
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

function refusedIn(error: unknown): RefusedAnswer | undefined {
  let e: unknown = error
  for (let depth = 0; e && depth < 4; depth++) {
    if (e instanceof RefusedAnswer) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * One token request, start to end: the carrier's openapi-fetch call under a timeout, then the
 * answer classified into a token or a CarrierAuthError. No retries here; the provider retries.
 */
export async function requestTokenOnce(ctx: AttemptContext): Promise<TokenAnswer> {
  const timeout = new AbortController()
  const timer = setTimeout(() => timeout.abort(new DOMException('token request timed out', 'TimeoutError')), ctx.timeoutMs)
  ;(timer as { unref?: () => void }).unref?.()
  let call
  try {
    call = await ctx.profile.requestToken(ctx.client, ctx.credentials, ctx.grant, timeout.signal)
  } catch (error) {
    const refused = refusedIn(error)
    if (refused) throw fail(ctx, 'invalid_response', { status: refused.status || undefined, detail: refused.detail })
    if (timeout.signal.aborted) throw fail(ctx, 'timeout', { timeoutMs: ctx.timeoutMs })
    if (error instanceof SyntaxError) {
      // openapi-fetch's JSON.parse of a 2xx body. Its message quotes the body, which may hold a
      // token: keep neither the message nor the error.
      throw fail(ctx, 'invalid_response', { status: 200, detail: 'the body is not valid JSON' })
    }
    throw fail(ctx, 'network_error', { detail: networkDetail(error) }, { cause: sanitizeCause(error) })
  } finally {
    clearTimeout(timer)
  }
  const { response } = call
  const status = response.status
  if (response.ok) {
    const fields = ctx.profile.readToken(call.data)
    if (!fields) {
      throw fail(ctx, 'invalid_response', { status, detail: call.data === undefined ? 'the body is empty' : 'the body has no usable access token' }, { response })
    }
    const unusable = unusableFields(fields)
    if (unusable) throw fail(ctx, 'invalid_response', { status, detail: unusable }, { response })
    const date = response.headers.get('date')
    const serverDate = date === null ? undefined : Date.parse(date)
    return { fields, serverDate: Number.isNaN(serverDate) ? undefined : serverDate }
  }
  const body = call.error
  if (typeof body === 'string' && looksLikeHtml(body) && status < 500 && status !== 429) {
    throw fail(ctx, 'invalid_response', { status, detail: 'an HTML page instead of the token endpoint' }, { response })
  }
  const code = ctx.profile.classifyError?.(status, body) ?? classifyStatus(status, body)
  const retryAfterMs = code === 'rate_limited' ? parseRetryAfter(response.headers.get('retry-after'), ctx.now()) : undefined
  throw fail(ctx, code, { status, retryAfterMs, oauthError: oauthErrorOf(body, ctx.profile.errorCodes) }, { response, body })
}

/** Keeps a network error's name and code, drops anything else it may carry. */
function sanitizeCause(error: unknown): Error {
  const e = new Error(error instanceof Error ? error.name : 'network error')
  const code = networkDetail(error)
  if (code) (e as Error & { code?: string }).code = code
  return e
}
