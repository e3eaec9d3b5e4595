import { sweepVerified } from './verified-secrets.js'

/**
 * The account ledger's records (`ledger.ts`): one per account with something to remember, in a
 * registry every copy of core in the process shares (`globalThis`, under a `Symbol.for` key).
 * Nothing in it grows with time: records with nothing left are dropped when their last attempt
 * ends, and the whole registry is swept by time and as accounts come.
 */

export interface Attempt {
  at: number
  tag: string
  outcome: 'pending' | 'rejected' | 'unknown'
  /** The store slot it occupies, when the store took it. */
  slot: number | undefined
}

/**
 * What the process knows of one account while it has something to remember: an attempt under way
 * or waiting, a rejected secret, a failed or unanswered attempt in the lockout window. An account
 * whose logins all succeed keeps no record (its working secret is in `verified-secrets.ts`).
 */
export interface AccountRecord {
  rejected: Map<string, number>
  /** Written by earlier copies of core sharing this registry (read, never written, by this one). */
  verified: Map<string, number>
  attempts: Attempt[]
  /** Failed attempts this process could not write to the store (it was unreachable). */
  unsynced: number
  tail: Promise<void>
  busy: number
  windowMs: number
}

const REGISTRY = Symbol.for('@carrier-auth/core.account-ledger.v1')

/** The registry every copy of core in this process shares. */
export function registry(): Map<string, AccountRecord> {
  const g = globalThis as unknown as Record<symbol, Map<string, AccountRecord> | undefined>
  let map = g[REGISTRY]
  if (!map) {
    map = new Map()
    Object.defineProperty(globalThis, REGISTRY, { value: map, enumerable: false, configurable: true })
  }
  return map
}

/** How often (by the callers' clocks) the whole registry is swept, beside every 256th new account. */
const SWEEP_INTERVAL_MS = 60_000
let sweptAt = Number.NEGATIVE_INFINITY

export function recordOf(account: string, now: number): AccountRecord {
  const map = registry()
  // Time-based as well: accounts that are gone are forgotten even when no new account comes.
  if (now >= sweptAt + SWEEP_INTERVAL_MS) {
    sweptAt = now
    sweep(map, now)
    sweepVerified(now)
  }
  let rec = map.get(account)
  if (!rec) {
    // Swept before the new record goes in: a sweep after would drop it at once (it is not busy
    // yet), leaving its caller a record no other provider of the account can see.
    if ((map.size + 1) % 256 === 0) sweep(map, now)
    rec = { rejected: new Map(), verified: new Map(), attempts: [], unsynced: 0, tail: Promise.resolve(), busy: 0, windowMs: 0 }
    map.set(account, rec)
  }
  return rec
}

export function prune(rec: AccountRecord, now: number, windowMs: number) {
  for (const [tag, until] of rec.rejected) if (until <= now) rec.rejected.delete(tag)
  for (const [tag, until] of rec.verified) if (until <= now) rec.verified.delete(tag)
  rec.attempts = rec.attempts.filter((a) => a.outcome === 'pending' || a.at + windowMs > now)
  if (rec.attempts.length === 0) rec.unsynced = 0
}

export const idle = (rec: AccountRecord) => rec.busy === 0 && rec.rejected.size === 0 && rec.attempts.length === 0 && rec.verified.size === 0

/** Drops the records of accounts with nothing left to remember: the ledger never grows with time. */
function sweep(map: Map<string, AccountRecord>, now: number) {
  for (const [account, rec] of map) {
    prune(rec, now, rec.windowMs)
    if (idle(rec)) map.delete(account)
  }
}

