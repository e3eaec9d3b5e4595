/**
 * Every name this package records, in one place (the README's table is this file).
 * Our own names live under `carrier_auth.*`; the rest are OpenTelemetry semantic conventions.
 */
export const METRICS = {
  /** Token requests (acquisitions that left the memory cache), by carrier, outcome and reason. */
  requests: 'carrier_auth.token.requests',
  /** How long one token request took, its retries and waits included. */
  requestDuration: 'carrier_auth.token.request.duration',
  /** Attempts that failed and were tried again. */
  retries: 'carrier_auth.token.retries',
  /** Credentials the carrier rejected; each starts a cooldown. */
  credentialsRejections: 'carrier_auth.credentials.rejections',
  /** Refresh tokens the carrier refused: the customer must authorize again. */
  refreshTokenRejections: 'carrier_auth.refresh_token.rejections',
  /** Store operations that failed; the provider went on without the store. */
  storeErrors: 'carrier_auth.store.errors',
} as const

/** One span per token request; never one for a token served from memory. */
export const SPAN_NAME = 'carrier_auth.token_request'

export const ATTRIBUTES = {
  carrier: 'carrier_auth.carrier',
  environment: 'carrier_auth.environment',
  reason: 'carrier_auth.reason',
  outcome: 'carrier_auth.outcome',
  source: 'carrier_auth.source',
  attempts: 'carrier_auth.attempts',
  keyId: 'carrier_auth.key_id',
  storeOperation: 'carrier_auth.store.operation',
  oauthError: 'carrier_auth.oauth_error',
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  statusCode: 'http.response.status_code',
} as const

/** The HTTP client duration buckets of the semantic conventions, up to core's 30 s deadline. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30]

export const SCOPE_NAME = '@carrier-auth/opentelemetry'
