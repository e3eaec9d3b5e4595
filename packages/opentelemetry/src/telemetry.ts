import { metrics, type MeterProvider, trace, type TracerProvider } from '@opentelemetry/api'
import type { CarrierAuthEvent, EventListener } from '@carrier-auth/core'
import { metricsRecorder } from './metrics.js'
import { spanRecorder } from './spans.js'
import { finishedTokenRequest } from './token-request.js'

export interface CarrierAuthTelemetryOptions {
  /** Default: the global one (`metrics.getMeterProvider()`), looked up at the first event. */
  meterProvider?: MeterProvider
  /** Default: the global one (`trace.getTracerProvider()`), looked up at the first event. */
  tracerProvider?: TracerProvider
  /** Your own listener: it gets every event after telemetry has recorded it. */
  onEvent?: EventListener
}

/**
 * An `onEvent` listener that turns a provider's events into OpenTelemetry metrics and spans:
 * `createPostiAuth({ …, onEvent: carrierAuthTelemetry() })`. Share one among all your providers.
 * Telemetry that fails never reaches the token request or your own listener.
 */
export function carrierAuthTelemetry(options: CarrierAuthTelemetryOptions = {}): EventListener {
  const meters = metricsRecorder(() => options.meterProvider ?? metrics.getMeterProvider())
  const spans = spanRecorder(() => options.tracerProvider ?? trace.getTracerProvider())
  const next = options.onEvent
  return (event: CarrierAuthEvent) => {
    try {
      const request = finishedTokenRequest(event)
      if (request) {
        meters.request(request)
        spans(request)
      } else {
        meters.event(event)
      }
    } catch {
      // A broken exporter or SDK must not break the token request, nor silence the next listener.
    }
    next?.(event)
  }
}
