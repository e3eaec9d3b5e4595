// Side-by-side measurement: every contender runs in the same process, in alternating rounds after
// a warm-up, so JIT tiering and GC affect them alike; the median round is reported.

/**
 * A loop of its own for one contender: compiled from source per contender, so no two share a
 * (megamorphic) call site and each is optimised for the one function it calls.
 */
let compiled = 0
function compiledLoop() {
  // A unique source per loop: V8 would otherwise share one compiled function (and its feedback) between them.
  return new Function('op', 'n', `/* loop ${++compiled} */ return (async () => { for (let i = 0; i < n; i++) await op() })()`)
}
const loops = new Map()

/** Runs `op` `n` times sequentially (awaiting each) in its own compiled loop; operations per second. */
export async function opsPerSecond(op, n) {
  let loop = loops.get(op)
  if (!loop) loops.set(op, (loop = compiledLoop()))
  const start = process.hrtime.bigint()
  await loop(op, n)
  const ns = Number(process.hrtime.bigint() - start)
  return (n * 1e9) / ns
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * contenders: { name: () => Promise<unknown> }. Returns { name: medianOpsPerSecond }.
 * Rounds alternate the order (A B C, C B A, …) so that no contender always runs first.
 */
export async function compare(contenders, { n, rounds = 7, warmup = 2 }) {
  const names = Object.keys(contenders)
  const samples = Object.fromEntries(names.map((k) => [k, []]))
  for (let r = 0; r < warmup + rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse()
    for (const name of order) {
      globalThis.gc?.()
      const ops = await opsPerSecond(contenders[name], n)
      if (r >= warmup) samples[name].push(ops)
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(samples[k])]))
}

/**
 * Client CPU (user + system, µs) per operation of each contender, in alternating rounds like
 * `compare`: `op` runs `n` times, `concurrency` at a time. Returns { name: medianMicrosPerOp }.
 */
export async function compareCpu(contenders, { n, rounds = 7, warmup = 2, concurrency = 1 }) {
  const names = Object.keys(contenders)
  const samples = Object.fromEntries(names.map((k) => [k, []]))
  for (let r = 0; r < warmup + rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse()
    for (const name of order) {
      globalThis.gc?.()
      const op = contenders[name]
      const before = process.cpuUsage()
      let next = 0
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < n) await op()
        }),
      )
      const used = process.cpuUsage(before)
      if (r >= warmup) samples[name].push((used.user + used.system) / n)
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(samples[k])]))
}

/**
 * A verdict with its number, so `run.mjs` can show min/median/max over runs:
 * `lower` is true when smaller is better (a cost ratio), false for a throughput ratio.
 */
export function goal(name, measured, target, { lower = true, unit = '×', digits = 2 } = {}) {
  const ok = lower ? measured <= target : measured >= target
  return [name, `${measured.toFixed(digits)}${unit}`, ok, { measured, target, lower, unit, digits }]
}

export const fmt = (x) => Math.round(x).toLocaleString('en-US')
export const ratio = (a, b) => (a / b).toFixed(2)
