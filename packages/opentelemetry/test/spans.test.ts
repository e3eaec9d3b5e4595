import { context, type HrTime, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { afterEach, describe, expect, test } from 'vitest'
import { SPAN_NAME } from '../src/index.js'
import { useTelemetryFixture } from './support/fixture.js'

const milliseconds = ([seconds, nanos]: HrTime) => seconds * 1000 + nanos / 1e6

describe('spans', () => {
  const f = useTelemetryFixture('dhl-ecommerce')

  test('one span per token request, none for a token served from memory', async () => {
    const auth = f.auth()
    for (let i = 0; i < 5; i++) await auth.getToken()
    const spans = f.sdk.spans()
    expect(spans).toHaveLength(1)
    expect(spans[0]?.name).toBe(SPAN_NAME)
    expect(spans[0]?.kind).toBe(SpanKind.INTERNAL)
    expect(spans[0]?.status.code).toBe(SpanStatusCode.UNSET)
    expect(spans[0]?.attributes).toMatchObject({
      'carrier_auth.carrier': 'dhl-ecommerce',
      'carrier_auth.reason': 'cold',
      'carrier_auth.outcome': 'success',
      'carrier_auth.source': 'network',
      'carrier_auth.attempts': 1,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(f.emulator.url).port),
    })
    expect(spans[0]?.attributes['carrier_auth.key_id']).toMatch(/^[0-9a-f]{12}$/)
  })

  test('a request retried after a 5xx is one span with its attempts, timed by the provider clock', async () => {
    f.emulator.inject({ type: 'rate_limited', retryAfterSeconds: 3 })
    const started = f.clock.now()
    await f.auth().getToken()
    const [span] = f.sdk.spans()
    expect(f.sdk.spans()).toHaveLength(1)
    expect(span?.attributes['carrier_auth.attempts']).toBe(2)
    expect(milliseconds(span!.startTime)).toBe(started)
    expect(milliseconds(span!.endTime)).toBe(started + 3000)
  })

  test('a request the carrier refuses is an error span with its status code and error type', async () => {
    // DHL eCommerce answers wrong credentials with 400 and a problem document, as its doc shows
    const auth = f.auth({ credentials: { [f.secretField]: 'not-the-secret' } })
    await auth.getToken().catch(() => {})
    const [span] = f.sdk.spans()
    expect(span?.status.code).toBe(SpanStatusCode.ERROR)
    expect(span?.status.message).toMatch(/^invalid_credentials: /)
    expect(span?.attributes).toMatchObject({ 'carrier_auth.outcome': 'failure', 'error.type': 'invalid_credentials', 'http.response.status_code': 400, 'carrier_auth.attempts': 1 })
  })

  test('five callers waiting on one request that fails after its retries make one span', async () => {
    f.emulator.inject({ type: 'server_error', status: 502, times: 4 })
    const auth = f.auth()
    await Promise.allSettled(Array.from({ length: 5 }, () => auth.getToken()))
    expect(f.emulator.stats.tokenRequests).toBe(4)
    const spans = f.sdk.spans()
    expect(spans).toHaveLength(1)
    expect(spans[0]?.attributes).toMatchObject({ 'error.type': 'server_error', 'http.response.status_code': 502, 'carrier_auth.attempts': 4 })
  })

  describe('with a context manager', () => {
    afterEach(() => context.disable())

    test("the span is a child of the caller's active span", async () => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
      const auth = f.auth()
      const tracer = f.sdk.tracerProvider.getTracer('the-application')
      const parent = tracer.startSpan('handle order')
      await context.with(trace.setSpan(context.active(), parent), () => auth.getToken())
      parent.end()
      const span = f.sdk.spans().find((s) => s.name === SPAN_NAME)
      expect(span?.spanContext().traceId).toBe(parent.spanContext().traceId)
      expect(span?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
    })
  })
})
