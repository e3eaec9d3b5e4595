import { fork } from 'node:child_process'
import { startEmulator } from '@carrier-auth/conformance'
import { fmt } from './harness.mjs'
import { openBackend } from './store-backends.mjs'

const PROCESSES = 8
const CALLERS = 1000
// The fleet worker of the conformance fleet tests: a carrier provider on the built packages, in its own process.
const WORKER = new URL('../../conformance/test/fleet/worker.mjs', import.meta.url)

function startWorker(config) {
  const child = fork(WORKER, { execArgv: [], env: { ...process.env, FLEET_WORKER: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
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
  if (backend.missing) return [name, backend.missing, '', '']
  if (typeof backend.worker === 'string') {
    await backend.close()
    return [name, `n/a (${backend.worker})`, '', '']
  }
  const emulator = await startEmulator('packly')
  const children = []
  try {
    for (let i = 0; i < PROCESSES; i++) {
      children.push(await startWorker({ carrier: 'packly', url: emulator.url, credentials: emulator.credentials, options: {}, ...backend.worker }))
    }
    const started = performance.now()
    const results = await Promise.all(children.map((c) => burst(c, CALLERS)))
    const ms = performance.now() - started
    const failed = results.reduce((n, r) => n + r.failures.length, 0)
    return [name, `${fmt(emulator.stats.tokenRequests)} token requests`, `${ms.toFixed(0)} ms to the last caller`, failed ? `${failed} callers failed` : 'all served']
  } finally {
    for (const c of children) c.send({ type: 'exit' })
    await emulator.close()
    await backend.close()
  }
}

export async function storesFleet() {
  const rows = []
  for (const name of ['Redis', 'Redis Cluster', 'PostgreSQL', 'FileStore']) rows.push(await fleetBurst(name))
  return {
    title: `Stores: cold fleet burst, ${PROCESSES} processes × ${fmt(CALLERS)} concurrent getToken()`,
    rows,
    verdicts: rows.filter((r) => r[1].endsWith('token requests')).map((r) => [`${r[0]}: one token request for the fleet`, r[1], r[1] === '1 token requests']),
  }
}
