import type { Clock } from './types.js'

/**
 * Locks an account after `maxFailures` failed logins. The doc does not say whether a success resets
 * the count, so the strict reading applies: failures within one lock period add up regardless, which
 * catches any client that could send `maxFailures` failures in that period.
 */
export class Lockout {
  private readonly failures = new Map<string, number[]>()
  private readonly lockedUntil = new Map<string, number>()

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly periodMs: number,
  ) {}

  isLocked(account: string): boolean {
    const until = this.lockedUntil.get(account)
    if (until === undefined) return false
    if (this.clock.now() < until) return true
    this.lockedUntil.delete(account)
    return false
  }

  /** Failures while locked neither extend the lock nor count towards the next one. */
  recordFailure(account: string): void {
    if (this.isLocked(account)) return
    const now = this.clock.now()
    const recent = (this.failures.get(account) ?? []).filter((at) => now - at < this.periodMs)
    recent.push(now)
    if (recent.length >= this.maxFailures) {
      this.lockedUntil.set(account, now + this.periodMs)
      this.failures.delete(account)
    } else {
      this.failures.set(account, recent)
    }
  }
}
