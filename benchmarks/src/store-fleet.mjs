import { fork } from 'node:child_process'
import { startEmulator } from '@carrier-auth/conformance'
import { fmt } from './harness.mjs'
import { openBackend } from './store-backends.mjs'

const PROCESSES = 8
const CALLERS = 1000
// The fleet worker of the conformance fleet tests: a carrier provider on the built packages, in its own process.
const WORKER = new URL('../../conformance/test/fleet/worker.mjs', import.meta.url)

function startWorker(config, unavailable) {
  const child = fork(WORKER, { execArgv: [], env: { ...process.env, FLEET_WORKER: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  // A store that failed an operation (a timeout on a loaded machine) sends its process its own way: say so.
  child.on('message', (m) => m.type === 'event' && m.event.type === 'store_unavailable' && unavailable.push(m.event.operation ?? '?'))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fleet worker exited (${code})`)))
    child.on('message', (m) => m.type === 'ready' && resolve(child))
  })
}

const burst = (child, callers) =>
  new Promise((resolve) => {
    child.on('message', (m) => m.type === 'burst-done' && resolve(m))
    child.send({ type: 'burst', id: 1, callers })
  })

/** 8 processes × 1,000 callers on a cold cache, per shared store: token requests and time to the last caller. */
async function fleetBurst(name) {
  const backend = await openBackend(name)
  if (backend.missing) return { row: [name, backend.missing, ''] }
  if (typeof backend.worker === 'string') {
    await backend.close()
    return { row: [name, `n/a (${backend.worker})`, ''] }
  }
  const emulator = await startEmulator('packly')
  const children = []
  const unavailable = []
  try {
    for (let i = 0; i < PROCESSES; i++) {
      children.push(await startWorker({ carrier: 'packly', url: emulator.url, credentials: emulator.credentials, options: {}, ...backend.worker }, unavailable))
    }
    const started = performance.now()
    const results = await Promise.all(children.map((c) => burst(c, CALLERS)))
    const ms = performance.now() - started
    const failed = results.reduce((n, r) => n + r.failures.length, 0)
    const served = failed ? `${failed} callers failed` : 'all served'
    const degraded = unavailable.length ? `; ${unavailable.length} store_unavailable (${[...new Set(unavailable)].join(', ')}): those processes went their own way` : ''
    const requests = emulator.stats.tokenRequests
    return { requests, row: [name, `${fmt(requests)} token request${requests === 1 ? '' : 's'}, ${ms.toFixed(0)} ms to the last caller`, `${served}${degraded}`] }
  } finally {
    for (const c of children) c.send({ type: 'exit' })
    await emulator.close()
    await backend.close()
  }
}

export async function storesFleet() {
  const results = []
  for (const name of ['Redis', 'Redis Cluster', 'PostgreSQL', 'FileStore']) results.push(await fleetBurst(name))
  return {
    title: `Stores: cold fleet burst, ${PROCESSES} processes × ${fmt(CALLERS)} concurrent getToken()`,
    rows: results.map((r) => r.row),
    verdicts: results.filter((r) => r.requests !== undefined).map((r) => [`${r.row[0]}: one token request for the fleet`, fmt(r.requests), r.requests === 1]),
  }
}
