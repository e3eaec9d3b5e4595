import { type Attributes, SpanKind, SpanStatusCode, type TracerProvider } from '@opentelemetry/api'
import { oauthErrorCode } from './attributes.js'
import { requestAttributes } from './metrics.js'
import { ATTRIBUTES as A, SCOPE_NAME, SPAN_NAME } from './names.js'
import type { FinishedTokenRequest } from './token-request.js'

/** The span attributes of a finished token request: the metric ones, and what is per request. */
export function spanAttributes(request: FinishedTokenRequest): Attributes {
  const attributes: Attributes = { ...requestAttributes(request), [A.keyId]: request.event.keyId, [A.attempts]: request.attempts }
  const error = request.error
  if (error?.status !== undefined) attributes[A.statusCode] = error.status
  const oauthError = oauthErrorCode(error?.oauthError)
  if (oauthError) attributes[A.oauthError] = oauthError
  return attributes
}

/**
 * One span per token request, recorded when it ends with the times it really had: it started
 * `durationMs` before the event's `at`. Both are the provider's clock (an injected one in tests),
 * given as Dates: a bare number older than the process would be read as a performance.now() offset.
 * The parent is the context active where the request ended: the first waiting caller's.
 */
export function spanRecorder(provider: () => TracerProvider) {
  let tracer: ReturnType<TracerProvider['getTracer']> | undefined
  return (request: FinishedTokenRequest) => {
    tracer ??= provider().getTracer(SCOPE_NAME)
    const end = request.event.at
    const span = tracer.startSpan(SPAN_NAME, {
      kind: SpanKind.INTERNAL,
      startTime: new Date(end - request.durationMs),
      attributes: spanAttributes(request),
    })
    // A CarrierAuthError's message is built by core from codes and never holds a secret.
    if (request.error) span.setStatus({ code: SpanStatusCode.ERROR, message: `${request.error.code}: ${request.error.message}` })
    span.end(new Date(end))
  }
}
