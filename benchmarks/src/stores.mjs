import { createPacklyAuth } from '@carrier-auth/packly'
import { compare, fmt, ratio } from './harness.mjs'
import { counting, openBackend } from './store-backends.mjs'

const STORES = ['MemoryStore', 'FileStore', 'Redis', 'PostgreSQL']
const STEADY_CALLS = 100_000

/**
 * Cached getToken() per store, side by side with the memory store in one run (goal: each ≤ 1.05×
 * the memory store's cost), and the store operations a cached getToken() makes in steady state.
 */
export async function storesHotPath(emulator) {
  const opened = Object.fromEntries(await Promise.all(STORES.map(async (name) => [name, await openBackend(name)])))
  try {
    const contenders = {}
    const steady = {}
    for (const name of STORES) {
      if (opened[name].missing) continue
      const { store, counts } = counting(opened[name].store())
      const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url, store })
      await auth.getToken()
      const before = counts.calls
      for (let i = 0; i < STEADY_CALLS; i++) await auth.getToken()
      steady[name] = (counts.calls - before) / STEADY_CALLS
      contenders[name] = () => auth.getToken()
    }
    const result = await compare(contenders, { n: 200_000 })
    const memory = result.MemoryStore
    const rows = STORES.map((name) =>
      opened[name].missing
        ? [name, opened[name].missing, '', '']
        : [name, `${fmt(result[name])} ops/s`, `${ratio(memory, result[name])}× the memory store's cost`, `${steady[name]} store operations per cached getToken()`],
    )
    const shared = STORES.filter((n) => n !== 'MemoryStore' && !opened[n].missing)
    return {
      title: 'Stores: cached getToken() per store',
      rows,
      verdicts: [
        ...shared.map((name) => [`${name}: cost vs the memory store (goal ≤ 1.05×)`, `${ratio(memory, result[name])}×`, memory / result[name] <= 1.05]),
        ...shared.map((name) => [`${name}: store operations per cached getToken() (goal 0)`, String(steady[name]), steady[name] === 0]),
      ],
    }
  } finally {
    for (const backend of Object.values(opened)) await backend.close?.()
  }
}
