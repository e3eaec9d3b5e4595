/** A long-running emulator (`carrier-auth emulate`) must not grow without end on a noisy client. */
export const MAX_VIOLATIONS = 1000

/**
 * Appends a violation while the log has room; the last slot says that more were dropped. Entries
 * are never removed or moved, so an index into the log stays valid.
 */
export function recordViolation(log: string[], problem: string): void {
  if (log.length < MAX_VIOLATIONS - 1) log.push(problem)
  else if (log.length === MAX_VIOLATIONS - 1) log.push(`further violations not recorded (the log keeps ${MAX_VIOLATIONS})`)
}
