/** Largest TTL sent to Redis (PX is a 64-bit integer; keep it a safe JS integer). */
const MAX_TTL_MS = 2 ** 47

/** A TTL as Redis takes it: a whole number of milliseconds, at least 1. */
export function ttlOf(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs)) throw new TypeError('A TTL must be a number of milliseconds.')
  return Math.min(MAX_TTL_MS, Math.max(1, Math.floor(ttlMs)))
}
