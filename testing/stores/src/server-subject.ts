import type { TokenStore } from '@carrier-auth/core'
import type { StoreSubject } from '@carrier-auth/core/testing'

/** Stores on one fresh namespace of a server, and how to give back what they hold. */
export interface OpenedStores {
  stores: TokenStore[]
  close(): Promise<void>
}

/**
 * The store-contract subject of a store on a server (Redis, Redis Cluster, PostgreSQL): real
 * time, a lock that is an abortable lease, and an outage bounded by 2 s. `open` gives `handles`
 * stores on one fresh namespace (each its own connection, as a fleet's processes), `unreachable`
 * a store whose server does not answer.
 */
export function serverStoreSubject(server: {
  name: string
  open(handles: number): Promise<OpenedStores>
  unreachable(): Promise<{ store: TokenStore; close(): Promise<void> }>
}): StoreSubject {
  const closers = new WeakMap<TokenStore, () => Promise<void>>()
  return {
    name: server.name,
    async open({ handles }) {
      const opened = await server.open(handles)
      closers.set(opened.stores[0]!, opened.close)
      return opened.stores
    },
    async close(handles) {
      await closers.get(handles[0]!)?.()
    },
    time: 'real',
    lock: true,
    lease: true,
    abortableLock: true,
    outage: {
      async open() {
        const { store, close } = await server.unreachable()
        closers.set(store, close)
        return store
      },
      async close(store) {
        await closers.get(store)?.()
      },
      boundMs: 2000,
    },
  }
}
