/**
 * A bounded set of providers by key, for a client that builds one per account on demand
 * (PostFinance's `forAccount`): at most `maxAccounts`, and none unused for `idleMs`, dropped
 * least recently used first. A provider `mayDrop` refuses (it holds what exists nowhere else) is
 * kept, however idle, until it may go.
 */
export interface KeptProviders<V> {
  get(key: string, build: () => V): V
  readonly size: number
}

interface Kept<V> {
  value: V
  /** Asked for since the last look (second chance). */
  used: boolean
  /** When it was last asked for. */
  seenAt: number
}

export function keptProviders<V>(options: { maxAccounts: number; idleMs: number; now: () => number; mayDrop: (key: string) => boolean }): KeptProviders<V> {
  const { maxAccounts, idleMs, now, mayDrop } = options
  const kept = new Map<string, Kept<V>>()

  /** From the front (oldest first): a used one gets a second chance, one that must stay goes to the back. */
  function dropIdle(at: number) {
    for (let turns = kept.size; turns > 0; turns--) {
      const oldest = kept.keys().next()
      if (oldest.done) return
      const key = oldest.value
      const k = kept.get(key)!
      const idle = k.seenAt + idleMs <= at
      if (idle || (!k.used && kept.size > maxAccounts)) {
        if (mayDrop(key)) {
          kept.delete(key)
          continue
        }
      } else if (!k.used) return
      k.used = false
      kept.delete(key)
      kept.set(key, k)
    }
  }

  return {
    get(key, build) {
      const found = kept.get(key)
      if (found) {
        found.used = true
        found.seenAt = now()
        return found.value
      }
      const at = now()
      const value = build()
      kept.set(key, { value, used: false, seenAt: at })
      dropIdle(at)
      return value
    },
    get size() {
      dropIdle(now())
      return kept.size
    },
  }
}
