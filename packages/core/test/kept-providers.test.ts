import { describe, expect, test } from 'vitest'
import { keptProviders } from '../src/kept-providers.js'

describe('kept providers (forAccount)', () => {
  const setup = (held = new Set<string>()) => {
    let t = 0
    const kept = keptProviders<{ key: string }>({ maxAccounts: 3, idleMs: 1000, now: () => t, mayDrop: (key) => !held.has(key) })
    return { kept, advance: (ms: number) => (t += ms), held }
  }

  test('the same key gives the same provider while it is kept', () => {
    const { kept } = setup()
    const a = kept.get('a', () => ({ key: 'a' }))
    expect(kept.get('a', () => ({ key: 'a' }))).toBe(a)
  })

  test('beyond maxAccounts the least recently used goes', () => {
    const { kept } = setup()
    const a = kept.get('a', () => ({ key: 'a' }))
    const b = kept.get('b', () => ({ key: 'b' }))
    kept.get('c', () => ({ key: 'c' }))
    kept.get('a', () => ({ key: 'a' }))
    kept.get('d', () => ({ key: 'd' }))
    expect(kept.size).toBe(3)
    expect(kept.get('a', () => ({ key: 'a' }))).toBe(a)
    expect(kept.get('b', () => ({ key: 'b' }))).not.toBe(b)
  })

  test('an idle provider goes; one that must stay is kept however idle, and goes once it may', () => {
    const { kept, advance, held } = setup(new Set(['pinned']))
    const pinned = kept.get('pinned', () => ({ key: 'pinned' }))
    const idle = kept.get('idle', () => ({ key: 'idle' }))
    advance(5000)
    expect(kept.size).toBe(1)
    expect(kept.get('pinned', () => ({ key: 'pinned' }))).toBe(pinned)
    expect(kept.get('idle', () => ({ key: 'idle' }))).not.toBe(idle)
    held.clear()
    advance(5000)
    expect(kept.size).toBe(0)
  })
})
