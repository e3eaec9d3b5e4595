import type { Clock, TokenStore } from '@carrier-auth/core'

export { closedPort } from '@carrier-auth/testing-redis/cluster-nodes'

/**
 * The shared stores the fleet scenarios run on. Each opens `instances` stores on one fresh
 * namespace (as that many processes would), or a store whose backend is unreachable. A store with
 * no way yet to be shared across processes is a slot: its scenarios are n/a with the reason.
 */
export interface FleetStore {
  id: string
  name: string
  /** Why this store has no fleet scenarios yet (the cells are n/a), or undefined. */
  slot?: string
  /** What `unreachable()` opens, for the scenario's title (default: its server is unreachable). */
  unreachableAs?: string
  open(instances: number, clock: Clock): Promise<{ stores: TokenStore[]; close(): Promise<void> }>
  unreachable(): Promise<{ store: TokenStore; close(): Promise<void> }>
  /** Stops what the store started for the whole matrix (a server of its own), when the matrix ends. */
  release?(): Promise<void>
}

/**
 * A client library is the user's (a peer of the store packages), not a dependency of this package:
 * it is loaded at run time, by a name the bundler leaves alone, and its absence makes the cell n/a.
 */
export async function load<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch {
    throw new Error(`n/a: ${name} is not installed (the fleet scenarios need it)`)
  }
}

/** No server: the cell is n/a, unless the machine must have it (CARRIER_AUTH_REQUIRE_<NAME>=1). */
export function missing(name: string, variable: string, error: unknown): Error {
  const why = `no ${name} (${error instanceof Error ? error.message : String(error)})`
  if (process.env[variable] === '1') return new Error(`${variable}=1 but ${why}`)
  return new Error(`n/a: ${why}`)
}
