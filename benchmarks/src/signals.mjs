import { createPacklyAuth } from '@carrier-auth/packly'
import { startChild } from './child.mjs'
import { fmt, goal } from './harness.mjs'

const CALLERS = 10_000
const ROUNDS = 9
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** One cold burst: CALLERS concurrent getToken() on a fresh provider; ms to the last caller, and this process's CPU ms. */
async function burst(emulator, signals) {
  const auth = createPacklyAuth({ ...emulator.credentials, baseUrl: emulator.url })
  globalThis.gc?.()
  const cpu = process.cpuUsage()
  const start = performance.now()
  await Promise.all(Array.from({ length: CALLERS }, (_, i) => auth.getToken(signals ? { signal: signals[i] } : undefined)))
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { ms, cpuMs: (used.user + used.system) / 1000 }
}

/**
 * 10,000 callers joining one cold token request, each with its own AbortSignal, beside the same
 * burst without signals; the token endpoint (the Packly emulator) runs in a process of its own.
 * The signals are made before the clock starts: making them is the caller's cost, not ours.
 */
export async function signals() {
  const child = await startChild('./emulator-child.mjs')
  try {
    const emulator = JSON.parse(child.line)
    const runs = { without: [], with: [] }
    for (let r = 0; r < ROUNDS + 1; r++) {
      for (const kind of r % 2 === 0 ? ['without', 'with'] : ['with', 'without']) {
        const made = kind === 'with' ? Array.from({ length: CALLERS }, () => new AbortController().signal) : undefined
        const run = await burst(emulator, made)
        if (r > 0) runs[kind].push(run)
      }
    }
    const wall = (kind) => median(runs[kind].map((x) => x.ms))
    const cpu = (kind) => median(runs[kind].map((x) => x.cpuMs))
    return {
      title: `Signals: ${fmt(CALLERS)} callers joining one cold token request (median of ${ROUNDS} rounds)`,
      rows: [
        [`${fmt(CALLERS)} callers, no signal`, `${wall('without').toFixed(1)} ms to the last caller`, `${cpu('without').toFixed(1)} ms client CPU`],
        [`${fmt(CALLERS)} callers, an AbortSignal each`, `${wall('with').toFixed(1)} ms to the last caller`, `${cpu('with').toFixed(1)} ms client CPU`],
      ],
      verdicts: [
        goal(`${fmt(CALLERS)} callers with signals vs without, time to the last caller (goal ≤ 2×)`, wall('with') / wall('without'), 2),
        goal(`${fmt(CALLERS)} callers with signals vs without, client CPU (goal ≤ 2×)`, cpu('with') / cpu('without'), 2),
      ],
    }
  } finally {
    child.close()
  }
}
