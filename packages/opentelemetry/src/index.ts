export { carrierAuthTelemetry } from './telemetry.js'
export { ATTRIBUTES, DURATION_BUCKETS, METRICS, SPAN_NAME } from './names.js'

export type { CarrierAuthTelemetryOptions } from './telemetry.js'
