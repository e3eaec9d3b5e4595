import { CarrierAuthError, type CarrierAuthErrorCode, scrub } from '@carrier-auth/core'
import { CliError, EXIT, type ExitCode } from './exit-codes.js'

const EXIT_BY_CODE: Record<CarrierAuthErrorCode, ExitCode> = {
  invalid_config: EXIT.config,
  invalid_credentials: EXIT.rejected,
  credentials_cooldown: EXIT.rejected,
  invalid_grant: EXIT.rejected,
  store_unavailable: EXIT.unavailable,
  state_mismatch: EXIT.rejected,
  rate_limited: EXIT.unavailable,
  server_error: EXIT.unavailable,
  network_error: EXIT.unavailable,
  timeout: EXIT.unavailable,
  invalid_response: EXIT.unavailable,
}

/** What the user should do next, in CLI terms, beside core's message (which speaks in options). */
export type Hints = Partial<Record<CarrierAuthErrorCode, string>>

/**
 * Turns any failure into one message and an exit code. Core's messages never hold a secret; the
 * CLI still removes every credential value it read from whatever it prints, so an unexpected
 * error (a bug, a library message) cannot leak one either.
 */
export function describeFailure(error: unknown, secrets: readonly string[], hints: Hints = {}): { message: string; exitCode: ExitCode } {
  if (error instanceof CliError) return { message: scrub(error.message, secrets), exitCode: error.exitCode }
  if (CarrierAuthError.isInstance(error)) {
    const hint = hints[error.code]
    return { message: scrub(`${error.message}${hint ? `\n${hint}` : ''} [${error.code}]`, secrets), exitCode: EXIT_BY_CODE[error.code] }
  }
  const text = error instanceof Error ? error.message : String(error)
  return { message: scrub(`unexpected error: ${text}`, secrets), exitCode: EXIT.failed }
}
