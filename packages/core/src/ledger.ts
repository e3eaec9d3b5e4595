import { settledWithin } from './clock.js'
import { heldLease, type Lease } from './lease.js'
import { markerKeys } from './ledger-markers.js'
import type { TokenStore } from './store.js'
import { type AccountRecord, type Attempt, idle, prune, recordOf, registry } from './ledger-records.js'
import { forgetVerified, isVerified, markVerified, unmarkVerified } from './verified-secrets.js'

/**
 * The account ledger: every login attempt of an account (carrier + endpoint + client id), for
 * every provider in this process and every copy of core loaded in it (one registry on
 * `globalThis`), and through the store's markers for every process sharing a store.
 *
 * - The same rejected secret reaches the carrier at most once per cooldown.
 * - Attempts of one account run one at a time while their secret is not known to work (for a
 *   carrier that locks accounts, always): the others wait for the outcome, and then know it.
 * - A carrier that locks accounts after N failed logins in a window gets a budget of N - 1
 *   failed or unanswered attempts in any such window; the Nth is never sent. An attempt whose
 *   answer never arrived counts until an answer with the same secret proves it was not a failure.
 */

export interface LedgerPolicy {
  /** How long a rejected secret is not sent again. */
  cooldownMs: number
  /** The carrier locks the account after `failures` failed logins within `windowMs`. */
  lockout?: { failures: number; windowMs: number } | undefined
}

/**
 * What an attempt came to: a token (`accepted`), a rejection of the credentials (`rejected`), an
 * answer that was no failed login (`answered`: a 5xx, a 429, a refused refresh token), no answer
 * after it may have arrived (`unknown`), or proof it never reached the carrier (`not_sent`).
 */
export type AttemptOutcome = 'accepted' | 'rejected' | 'answered' | 'unknown' | 'not_sent'

/** Why the ledger refused to let an attempt go out. */
export class LedgerRefusal extends Error {
  override readonly name = 'LedgerRefusal'
  constructor(
    readonly kind: 'same_secret' | 'budget',
    readonly until: number,
  ) {
    super(kind)
  }
}

/** The store lease a ledger holder takes (renewed while its attempt runs). */
const LEDGER_LEASE_MS = 5_000

/** A secret tag as a marker value (markers hold numbers): its first 48 bits. */
const tagValue = (tag: string) => Number.parseInt(tag.slice(0, 12), 16)

export interface LedgerContext {
  account: string
  /** A hash of the secret in use, never the secret. */
  tag: string
  policy: LedgerPolicy
  store: TokenStore
  now: () => number
  /** A store operation failed; the ledger goes on with what this process knows. */
  onStoreError(operation: string, error: unknown): void
  /**
   * The longest an attempt before this one may take. An attempt that outlives it belongs to a
   * request context that ended (Workers) and will never report: the next one goes ahead (its slot
   * still counts against the budget).
   */
  turnWaitMs: number
}

/** A granted attempt: report its outcome exactly once. */
export interface Permit {
  settle(outcome: AttemptOutcome): Promise<void>
}


/**
 * Asks to send one login attempt. Resolves with a permit once the attempt may go out, or
 * rejects with a LedgerRefusal. Waits for other attempts of the account first when it must.
 */
export async function admit(ctx: LedgerContext): Promise<Permit> {
  const { policy, store } = ctx
  const windowMs = policy.lockout?.windowMs ?? 0
  const rec = recordOf(ctx.account, ctx.now())
  rec.windowMs = Math.max(rec.windowMs, windowMs)
  const serial = policy.lockout !== undefined || !((rec.verified.get(ctx.tag) ?? 0) > ctx.now() || isVerified(ctx.account, ctx.tag, ctx.now()))
  const keys = markerKeys(ctx.account)
  const safely = async <T>(operation: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run()
    } catch (error) {
      ctx.onStoreError(operation, error)
      return undefined
    }
  }

  rec.busy++
  let releaseTurn = () => {}
  let lease: Lease | undefined
  const finish = async () => {
    await lease?.release()
    rec.busy--
    releaseTurn()
    // Nothing left to remember (every login succeeded): the record goes now, not at a sweep.
    if (idle(rec) && registry().get(ctx.account) === rec) registry().delete(ctx.account)
  }
  try {
    if (serial) {
      const previous = rec.tail
      const turn = new Promise<void>((resolve) => (releaseTurn = resolve))
      rec.tail = previous.then(() => turn)
      await settledWithin(previous, ctx.turnWaitMs)
      if (store.lock) lease = await safely('lock', () => heldLease(store, keys.lock, Math.min(LEDGER_LEASE_MS, ctx.turnWaitMs), ctx.onStoreError, ctx.turnWaitMs))
    }
    const now = ctx.now()
    prune(rec, now, windowMs)

    const [sharedRejected, cleared] = await Promise.all([
      safely('getMarker', () => store.getMarker(keys.rejected(ctx.tag))),
      safely('getMarker', () => store.getMarker(keys.cleared)),
    ])
    // A rejection made before the account was cleared (`clearLedger`) no longer holds.
    const holds = (until: number) => until - policy.cooldownMs >= (cleared ?? 0)
    if (!holds(rec.rejected.get(ctx.tag) ?? 0)) rec.rejected.delete(ctx.tag)
    const rejectedUntil = Math.max(rec.rejected.get(ctx.tag) ?? 0, holds(sharedRejected ?? 0) ? (sharedRejected ?? 0) : 0)
    if (now < rejectedUntil) throw new LedgerRefusal('same_secret', rejectedUntil)

    let slot: number | undefined
    if (policy.lockout) {
      const budget = Math.max(0, policy.lockout.failures - 1)
      const slots = await readSlots(ctx, budget, safely)
      const storeUsed = slots?.filter((at) => at > 0) ?? []
      const localUsed = rec.attempts.map((a) => a.at)
      const used = Math.max(localUsed.length, storeUsed.length + rec.unsynced)
      if (used >= budget) {
        const oldest = Math.min(...(storeUsed.length > localUsed.length ? storeUsed : localUsed), now)
        throw new LedgerRefusal('budget', oldest + windowMs)
      }
      slot = slots?.findIndex((at) => !(at > 0))
      if (slot !== undefined && slot >= 0) {
        const taken = await safely('setMarker', async () => {
          await store.setMarker(keys.slotTag(slot!), tagValue(ctx.tag), windowMs)
          await store.setMarker(keys.slot(slot!), now, windowMs)
          return true
        })
        if (!taken) slot = undefined
      } else slot = undefined
    }
    const attempt: Attempt = { at: now, tag: ctx.tag, outcome: 'pending', slot }
    if (policy.lockout) rec.attempts.push(attempt)

    let settled = false
    return {
      async settle(outcome) {
        if (settled) return
        settled = true
        try {
          await record(ctx, rec, attempt, outcome, safely)
        } finally {
          await finish()
        }
      },
    }
  } catch (error) {
    await finish()
    throw error
  }
}

/** A store operation whose failure the ledger reports and survives. */
type Safely = <T>(operation: string, run: () => Promise<T>) => Promise<T | undefined>

async function readSlots(ctx: LedgerContext, budget: number, safely: Safely): Promise<number[] | undefined> {
  const keys = markerKeys(ctx.account)
  return safely('getMarker', () => Promise.all(Array.from({ length: budget }, async (_, i) => (await ctx.store.getMarker(keys.slot(i))) ?? 0)))
}

async function record(ctx: LedgerContext, rec: AccountRecord, attempt: Attempt, outcome: AttemptOutcome, safely: Safely) {
  const { store, policy } = ctx
  const keys = markerKeys(ctx.account)
  const now = ctx.now()
  const free = (slot: number | undefined) =>
    slot === undefined ? Promise.resolve() : safely('setMarker', () => store.setMarker(keys.slot(slot), 0, 1))
  switch (outcome) {
    case 'accepted': {
      markVerified(ctx.account, ctx.tag, now)
      rec.verified.delete(ctx.tag)
      rec.rejected.delete(ctx.tag)
      // The secret works: none of its unanswered attempts was a failed login.
      const proved = rec.attempts.filter((a) => a.tag === ctx.tag && a.outcome !== 'rejected')
      rec.attempts = rec.attempts.filter((a) => !proved.includes(a))
      if (policy.lockout) await freeSlotsOf(ctx, tagValue(ctx.tag), Math.max(0, policy.lockout.failures - 1), safely)
      return
    }
    case 'answered':
    case 'not_sent':
      rec.attempts = rec.attempts.filter((a) => a !== attempt)
      await free(attempt.slot)
      return
    case 'unknown':
      attempt.outcome = 'unknown'
      if (policy.lockout && attempt.slot === undefined) rec.unsynced++
      return
    case 'rejected': {
      attempt.outcome = 'rejected'
      if (policy.lockout && attempt.slot === undefined) rec.unsynced++
      rec.verified.delete(ctx.tag)
      unmarkVerified(ctx.account, ctx.tag)
      // Marked as a failure for good: an answer with the same secret later frees only unanswered slots.
      if (attempt.slot !== undefined) await safely('setMarker', () => store.setMarker(keys.slotTag(attempt.slot!), -tagValue(ctx.tag), policy.lockout!.windowMs))
      const until = now + policy.cooldownMs
      rec.rejected.set(ctx.tag, until)
      await safely('setMarker', () => store.setMarker(keys.rejected(ctx.tag), until, policy.cooldownMs))
    }
  }
}

async function freeSlotsOf(ctx: LedgerContext, tag: number, budget: number, safely: Safely) {
  const keys = markerKeys(ctx.account)
  await safely('setMarker', async () => {
    for (let i = 0; i < budget; i++) {
      if ((await ctx.store.getMarker(keys.slotTag(i))) !== tag) continue
      // The tag goes first, while the slot still holds it taken: no one else can have written
      // its own tag there yet. Both expire at once, so a store keeps nothing of an account that logged in.
      await ctx.store.setMarker(keys.slotTag(i), 0, 1)
      await ctx.store.setMarker(keys.slot(i), 0, 1)
    }
  })
}

/** Forgets what this process's ledger knows of an account (its budget too: prefer `clearLedger`). */
export function forgetAccount(account: string): void {
  registry().delete(account)
  forgetVerified(account)
}

/** How many accounts this process's ledger remembers now, and whether it remembers this one. */
export const ledgerSize = (): number => registry().size
export const ledgerHolds = (account: string): boolean => registry().has(account)
