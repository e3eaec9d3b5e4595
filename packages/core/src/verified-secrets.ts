/**
 * Secrets known to work, per account, for the account ledger (`ledger.ts`): while an account's
 * secret is known to work, its attempts need not wait for one another (on a carrier that does not
 * lock accounts). Forgetting one only makes its attempts wait their turn again, so this memory
 * is bounded: the oldest are forgotten first, and none outlives its hour. It is shared by every
 * copy of core in the process (a `globalThis` registry), like the ledger.
 */

/** How long a secret that got a token counts as known to work. */
export const VERIFIED_MS = 3_600_000
/** Secrets remembered at most, across accounts: a few hundred KB, whatever the number of accounts. */
export const MAX_VERIFIED = 4096

const REGISTRY = Symbol.for('@carrier-auth/core.verified-secrets.v1')

/** Until when, by account and secret tag (`account \0 tag`), oldest first. */
function verified(): Map<string, number> {
  const g = globalThis as unknown as Record<symbol, Map<string, number> | undefined>
  let map = g[REGISTRY]
  if (!map) {
    map = new Map()
    Object.defineProperty(globalThis, REGISTRY, { value: map, enumerable: false, configurable: true })
  }
  return map
}

/** Joined (one flat string), not a template literal (a chain of pieces). */
const keyOf = (account: string, tag: string) => [account, tag].join('\u0000')

export function isVerified(account: string, tag: string, now: number): boolean {
  return (verified().get(keyOf(account, tag)) ?? 0) > now
}

export function markVerified(account: string, tag: string, now: number): void {
  const map = verified()
  const key = keyOf(account, tag)
  map.delete(key)
  map.set(key, now + VERIFIED_MS)
  if (map.size > MAX_VERIFIED) map.delete(map.keys().next().value as string)
}

export function unmarkVerified(account: string, tag: string): void {
  verified().delete(keyOf(account, tag))
}

/** Drops what has expired by `now` (every entry: callers' clocks may differ, so marking order is no expiry order). */
export function sweepVerified(now: number): void {
  const map = verified()
  for (const [key, until] of map) if (until <= now) map.delete(key)
}

/** Forgets every secret of `account`. */
export function forgetVerified(account: string): void {
  const prefix = `${account}\u0000`
  const map = verified()
  for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key)
}

export const verifiedSize = (): number => verified().size
