import type { Attributes, Counter, Histogram, MeterProvider } from '@opentelemetry/api'
import type { CarrierAuthEvent } from '@carrier-auth/core'
import { commonAttributes, storeErrorType } from './attributes.js'
import { ATTRIBUTES as A, DURATION_BUCKETS, METRICS, SCOPE_NAME } from './names.js'
import type { FinishedTokenRequest } from './token-request.js'

interface Instruments {
  requests: Counter
  duration: Histogram
  retries: Counter
  credentialsRejections: Counter
  refreshTokenRejections: Counter
  storeErrors: Counter
}

function createInstruments(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(SCOPE_NAME)
  return {
    requests: meter.createCounter(METRICS.requests, { unit: '{request}', description: 'Token requests that left the memory cache, by outcome and reason.' }),
    duration: meter.createHistogram(METRICS.requestDuration, {
      unit: 's',
      description: 'Duration of token requests, retries and waits included.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    retries: meter.createCounter(METRICS.retries, { unit: '{retry}', description: 'Failed attempts of a token request that were tried again.' }),
    credentialsRejections: meter.createCounter(METRICS.credentialsRejections, {
      unit: '{rejection}',
      description: 'Credentials the carrier rejected; each starts a credentials cooldown.',
    }),
    refreshTokenRejections: meter.createCounter(METRICS.refreshTokenRejections, {
      unit: '{rejection}',
      description: 'Refresh tokens the carrier refused; the customer must authorize again.',
    }),
    storeErrors: meter.createCounter(METRICS.storeErrors, { unit: '{error}', description: 'Token store operations that failed; the provider went on without the store.' }),
  }
}

/** The metric attributes of a finished token request. */
export function requestAttributes(request: FinishedTokenRequest): Attributes {
  const attributes: Attributes = { ...commonAttributes(request.event), [A.reason]: request.reason, [A.outcome]: request.outcome }
  if (request.source) attributes[A.source] = request.source
  if (request.error) attributes[A.errorType] = request.error.code
  return attributes
}

/** Records events as metrics; the meter provider is resolved at the first event, so a global one registered later is used. */
export function metricsRecorder(provider: () => MeterProvider) {
  let instruments: Instruments | undefined
  const get = () => (instruments ??= createInstruments(provider()))
  return {
    request(request: FinishedTokenRequest) {
      const i = get()
      const attributes = requestAttributes(request)
      i.requests.add(1, attributes)
      i.duration.record(request.durationMs / 1000, attributes)
    },
    event(event: CarrierAuthEvent) {
      switch (event.type) {
        case 'retry_scheduled': {
          const attributes: Attributes = { ...commonAttributes(event), [A.errorType]: event.code }
          if (event.status !== undefined) attributes[A.statusCode] = event.status
          return get().retries.add(1, attributes)
        }
        case 'credentials_rejected':
          return get().credentialsRejections.add(1, withStatus(commonAttributes(event), event.status))
        case 'refresh_token_rejected':
          return get().refreshTokenRejections.add(1, withStatus(commonAttributes(event), event.status))
        case 'store_unavailable':
          return get().storeErrors.add(1, { ...commonAttributes(event), [A.storeOperation]: event.operation, [A.errorType]: storeErrorType(event.error) })
        default:
          return undefined
      }
    },
  }
}

function withStatus(attributes: Attributes, status: number | undefined): Attributes {
  return status === undefined ? attributes : { ...attributes, [A.statusCode]: status }
}
