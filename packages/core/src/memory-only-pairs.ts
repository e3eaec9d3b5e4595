import type { TokenStore } from './store.js'

/**
 * Rotating accounts whose live refresh token is, for now, only in this process's memory: the
 * carrier rotated the pair, and the store has not got the new one (it was unreachable, or lost
 * its data). A provider holding such a pair must not be let go (`forAccount`'s bound): dropping
 * it would drop the one refresh token the account has. Each token cache marks only itself, so
 * one cache's write landing never unmarks another's.
 */
const held = new WeakMap<TokenStore, Map<string, Set<object>>>()

const accountOf = (clientId: string, account: string) => [clientId, account].join('\u0000')

/** Marks (or unmarks) `holder`'s pair for `account` of `clientId` on `store` as held only in memory. */
export function holdOnlyInMemory(store: TokenStore, clientId: string, account: string, holder: object, only: boolean): void {
  let byAccount = held.get(store)
  const key = accountOf(clientId, account)
  if (!only) {
    const holders = byAccount?.get(key)
    holders?.delete(holder)
    if (holders?.size === 0) byAccount!.delete(key)
    return
  }
  if (!byAccount) held.set(store, (byAccount = new Map()))
  let holders = byAccount.get(key)
  if (!holders) byAccount.set(key, (holders = new Set()))
  holders.add(holder)
}

/** Whether some token cache of `account` holds a pair the store does not have. */
export function heldOnlyInMemory(store: TokenStore, clientId: string, account: string): boolean {
  return (held.get(store)?.get(accountOf(clientId, account))?.size ?? 0) > 0
}
