import { type Clock, systemClock } from './clock.js'
import type { TokenStore } from './store.js'

/** The account ledger's markers in a store: what `admit` reads and writes, and `clearLedger` writes. */
export const markerKeys = (account: string) => ({
  rejected: (tag: string) => `${account}#rejected#${tag.slice(0, 32)}`,
  cleared: `${account}#cleared`,
  slot: (i: number) => `${account}#attempt#${i}`,
  slotTag: (i: number) => `${account}#attempt#${i}#secret`,
  lock: `${account}#ledger`,
})

/** How long a clear is remembered: longer than any cooldown it lifts. */
const CLEARED_MS = 24 * 3_600_000

/**
 * Lifts the cooldown of every secret of `account` rejected until now, for every process sharing
 * `store` and every provider in this one: each may send its secret again once. A `#cleared`
 * marker holds the time (markers cannot be listed, so the rejections are outdated, not deleted).
 *
 * The failed-login budget of a carrier that locks accounts stays: its slots count the failures
 * the carrier itself counts, which no clear on this side undoes (Posti still locks the account at
 * its 5th failure in the hour). A rejection from after the clear holds as usual.
 */
export async function clearLedger(store: TokenStore, account: string, options: { clock?: Clock } = {}): Promise<void> {
  const clock = options.clock ?? systemClock
  await store.setMarker(markerKeys(account).cleared, clock.now(), CLEARED_MS)
}

