import type { ManualClock } from '../clock.js'
import type { TokenStore } from '../store.js'

/**
 * A store under test: how to open it, and what it can do. A capability a store lacks makes the
 * checks that need it n/a (with the reason given here), never a pass.
 */
export interface StoreSubject {
  /** The store's column in the matrix, e.g. `PostgreSQL`. */
  name: string
  /**
   * Opens `handles` stores on ONE fresh, empty namespace, as that many processes of a fleet would
   * (own connections, own in-memory state). `clock` is the manual clock to give a store that
   * takes one (see `time`). A store shared within one process may return the same instance.
   */
  open(context: { clock: ManualClock; handles: number }): Promise<TokenStore[]>
  /** Releases whatever the handles hold (connections, files, schemas). Called once per check. */
  close?(handles: TokenStore[]): Promise<void>
  /**
   * Where the store's TTLs are measured: `manual` (it reads the injected clock, so expiry is
   * exact) or `real` (the server's clock: the checks use 1 ms TTLs and wait, bounded, for them).
   */
  time: 'manual' | 'real'
  /** Has `lock()`. Otherwise: the reason, e.g. "single flight within one provider only". */
  lock: true | string
  /**
   * A lock is a lease on shared state: one whose holder stops extending it is taken over after
   * its TTL. Otherwise the reason (e.g. "in-process lock: a holder cannot die without the process").
   */
  lease: true | string
  /** `lock()` stops waiting when its signal aborts. Otherwise the reason. */
  abortableLock: true | string
  /**
   * A store whose backend is unreachable, or the reason there is none (an in-process store has
   * no outage). Its operations must fail with a typed error (a string `code`) within `boundMs`.
   */
  outage: { open(): Promise<TokenStore>; close?(store: TokenStore): Promise<void>; boundMs: number } | string
  /**
   * Checks this store is known to fail, by id, with where the defect is tracked. Such a check still
   * runs and shows ❌ in the matrix; its test passes while it fails and fails once it passes (so
   * the entry is removed with the fix).
   */
  knownDefects?: Readonly<Record<string, string>>
}

/** What a check needs of a store, named after the subject's fields. */
export type StoreCapability = 'lock' | 'lease' | 'abortableLock' | 'outage'

/** Why a check does not apply to a subject, or undefined when it does. */
export function notApplicable(subject: StoreSubject, needs: readonly StoreCapability[]): string | undefined {
  for (const need of needs) {
    const has = subject[need]
    if (typeof has === 'string') return has
  }
  return undefined
}
