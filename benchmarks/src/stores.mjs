import { createPacklyAuth } from '@carrier-auth/packly'
import { fmt } from './harness.mjs'
import { counting, openBackend } from './store-backends.mjs'

const STORES = ['MemoryStore', 'FileStore', 'Redis', 'Redis Cluster', 'PostgreSQL']
const STEADY_CALLS = 100_000
const CONTROL = 'MemoryStore again (control)'
// Many short interleaved rounds rather than a few long ones: a load spike from another process
// lands in one round of one store, and the medians leave it out.
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 41)
const WARMUP_ROUNDS = 3
const CALLS_PER_ROUND = Number(process.env.BENCH_STORE_CALLS ?? 100_000)

/**
 * A timing loop of one contender's own, compiled from a source no other loop shares (V8 would
 * otherwise share its compiled code and feedback), so that `auth.getToken()` is a monomorphic call
 * site that sees one provider only. Resolves the calls per CPU second of one round: the CPU time
 * this process spent (user + system, its GC threads included), not the wall clock, which on a
 * shared machine mostly measures the other processes (load averages of 20 on 2 cores here).
 */
function ownLoop(name) {
  const loop = new Function('auth', 'n', `/* the ${JSON.stringify(name)} loop */ return (async () => { for (let i = 0; i < n; i++) await auth.getToken() })()`)
  return async (auth, n) => {
    const before = process.cpuUsage()
    await loop(auth, n)
    const { user, system } = process.cpuUsage(before)
    return (n * 1e6) / (user + system)
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * Interleaved rounds: every round runs each contender once (A B C, B C A, C A B, …: the order
 * rotates so no store always follows the GC or runs first), so load drift hits every store alike.
 * Returns each contender's calls per second: { min, median, max } over the measured rounds.
 */
async function interleaved(contenders) {
  const names = Object.keys(contenders)
  const loops = Object.fromEntries(names.map((name) => [name, ownLoop(name)]))
  const samples = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]
      globalThis.gc?.()
      const perSecond = await loops[name](contenders[name], CALLS_PER_ROUND)
      if (round >= WARMUP_ROUNDS) samples[name].push(perSecond)
    }
  }
  return Object.fromEntries(names.map((name) => [name, { min: Math.min(...samples[name]), median: median(samples[name]), max: Math.max(...samples[name]), rounds: samples[name] }]))
}

/** The median over rounds of `base`'s calls per second over `other`'s in the same round: `other`'s cost, paired. */
const pairedCost = (base, other) => median(base.rounds.map((ops, round) => ops / other.rounds[round]))

/** Store operations one cached getToken() makes in steady state, on a provider of its own. */
async function operationsPerCachedCall(backend, emulator) {
  const { store, counts } = counting(backend.store())
  const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url, store })
  await auth.getToken()
  const before = counts.calls
  for (let i = 0; i < STEADY_CALLS; i++) await auth.getToken()
  return (counts.calls - before) / STEADY_CALLS
}

/**
 * Cached getToken() per store, side by side with the memory store in one run (goal: each ≤ 1.05×
 * the memory store's cost, as the ratio of the median rounds), and the store operations a cached
 * getToken() makes in steady state (goal 0).
 */
export async function storesHotPath(emulator) {
  const opened = Object.fromEntries(await Promise.all(STORES.map(async (name) => [name, await openBackend(name)])))
  try {
    const live = STORES.filter((name) => !opened[name].missing)
    const steady = {}
    const contenders = {}
    for (const name of live) {
      steady[name] = await operationsPerCachedCall(opened[name], emulator)
      contenders[name] = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url, store: opened[name].store() })
      await contenders[name].getToken()
    }
    // The control: a second provider on a memory store of its own. Its "cost" is what this run's
    // noise alone makes of two identical contenders; a store's figure means as much as that allows.
    contenders[CONTROL] = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url, store: opened.MemoryStore.store() })
    await contenders[CONTROL].getToken()
    const result = await interleaved(contenders)
    const memory = result.MemoryStore.median
    const cost = (name) => memory / result[name].median
    const row = (name, ops) => {
      const { min, median: mid, max } = result[name]
      const costs = `${cost(name).toFixed(3)}× the memory store's cost (paired by round: ${pairedCost(result.MemoryStore, result[name]).toFixed(3)}×)`
      return [name, `${fmt(mid)} calls per CPU second (min ${fmt(min)}, max ${fmt(max)})`, ops === undefined ? costs : `${costs}; ${ops} store operations per cached getToken()`]
    }
    const rows = [...STORES.map((name) => (opened[name].missing ? [name, opened[name].missing, ''] : row(name, steady[name]))), row(CONTROL)]
    const shared = live.filter((name) => name !== 'MemoryStore')
    return {
      title: `Stores: cached getToken() per store (${ROUNDS} interleaved rounds × ${fmt(CALLS_PER_ROUND)} calls each, CPU time, ratio of the medians)`,
      rows,
      verdicts: [
        ...shared.map((name) => [`${name}: cost vs the memory store (goal ≤ 1.05×)`, `${cost(name).toFixed(3)}× (the control: ${cost(CONTROL).toFixed(3)}×)`, cost(name) <= 1.05]),
        ...shared.map((name) => [`${name}: store operations per cached getToken() (goal 0)`, String(steady[name]), steady[name] === 0]),
        [`the run's noise floor: ${CONTROL} vs MemoryStore`, `${cost(CONTROL).toFixed(3)}×`, true],
      ],
    }
  } finally {
    for (const backend of Object.values(opened)) await backend.close?.()
  }
}
