import type { StoredToken } from '../access-token.js'
import type { ManualClock } from '../clock.js'
import type { TokenStore } from '../store.js'
import type { StoreCapability, StoreSubject } from './subject.js'

/** What a check is handed: the stores it asked for (one namespace), the clock, the subject. */
export interface CheckContext {
  subject: StoreSubject
  /** `handles` stores on one fresh namespace (as many processes of a fleet). */
  stores: TokenStore[]
  clock: ManualClock
  /** A cache key no other check uses. */
  key(name: string): string
}

/** One named property of the store contract. */
export interface StoreCheck {
  id: string
  title: string
  /** Capabilities the check needs; a subject without one shows n/a with its reason. */
  needs: readonly StoreCapability[]
  /** How many handles on one namespace the check opens (default 1). */
  handles?: number
  run(ctx: CheckContext): Promise<void>
}

/** A broken promise of the contract: the message says what was expected and what was seen. */
export class StoreContractFailure extends Error {
  override readonly name = 'StoreContractFailure'
}

export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StoreContractFailure(message)
}

export function check(id: string, title: string, run: StoreCheck['run'], extra: Omit<StoreCheck, 'id' | 'title' | 'run' | 'needs'> & { needs?: StoreCapability[] } = {}): StoreCheck {
  return { id, title, run, needs: extra.needs ?? [], ...(extra.handles !== undefined ? { handles: extra.handles } : {}) }
}

let serial = 0

/** A stored token with recognisable, unique values (they are test values, not secrets). */
export function sampleToken(label: string, fields: Partial<StoredToken> = {}): StoredToken {
  serial++
  return {
    accessToken: `contract-access-${label}-${serial}-${Math.random().toString(36).slice(2, 10)}`,
    expiresAt: Date.UTC(2030, 0, 1),
    issuedAt: Date.UTC(2026, 0, 1),
    ...fields,
  }
}

export const HOUR_MS = 3_600_000
/** Longest a real-time store may take to honour a 1 ms TTL, or to hand over a lease (loaded CI). */
export const REAL_TIME_BOUND_MS = 15_000

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Lets `ttlMs` pass for the store, then waits until `probe` holds: on a manual clock the clock is
 * moved past the TTL (exact, no waiting); on a real-time store the probe is retried, bounded.
 */
export async function afterTtl(ctx: CheckContext, ttlMs: number, probe: () => Promise<boolean>, what: string): Promise<void> {
  if (ctx.subject.time === 'manual') {
    ctx.clock.advance(ttlMs + 1)
    expectThat(await probe(), `${what} (after the manual clock moved ${ttlMs + 1} ms)`)
    return
  }
  const deadline = Date.now() + REAL_TIME_BOUND_MS
  while (!(await probe())) {
    expectThat(Date.now() < deadline, `${what} (not within ${REAL_TIME_BOUND_MS} ms)`)
    await pause(Math.min(25, ttlMs))
  }
}

/** Settles within `ms` with the promise's outcome, or says it was still pending. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<{ settled: true; value?: T; error?: unknown } | { settled: false }> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<{ settled: false }>((resolve) => (timer = setTimeout(() => resolve({ settled: false }), ms)))
  try {
    return await Promise.race([promise.then((value) => ({ settled: true as const, value }), (error: unknown) => ({ settled: true as const, error })), late])
  } finally {
    clearTimeout(timer)
  }
}
