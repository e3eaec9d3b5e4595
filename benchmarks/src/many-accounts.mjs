import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const child = fileURLToPath(new URL('./many-accounts-child.mjs', import.meta.url))
const SIZES = (process.env.BENCH_ACCOUNTS ?? '1000,10000,100000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

async function tokenServer() {
  const server = spawn(process.execPath, [fileURLToPath(new URL('./token-server-child.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [port] = await once(server.stdout, 'data')
  return { port: String(port).trim(), close: () => server.kill() }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] }
}
const mmm = (xs, digits = 2) => {
  const { min, median, max } = stats(xs)
  return `${median.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`
}

/** Each contender at each size in a fresh process, RUNS times, against a token server in another. */
export async function manyAccounts() {
  const server = await tokenServer()
  const rows = []
  const verdicts = []
  try {
    for (const n of SIZES) {
      const runs = { 'carrier-auth': [], 'Map + plain fetch': [] }
      for (let r = 0; r < RUNS; r++) {
        for (const contender of Object.keys(runs)) {
          const { stdout } = await run(process.execPath, ['--expose-gc', '--max-old-space-size=4096', child, contender, String(n), server.port], { maxBuffer: 1 << 20 })
          runs[contender].push(JSON.parse(stdout.trim().split('\n').pop()))
        }
      }
      const ours = runs['carrier-auth']
      const floor = runs['Map + plain fetch']
      for (const [name, rs] of Object.entries(runs)) {
        rows.push([`${name}, ${n.toLocaleString('en-US')} accounts`, `create ${mmm(rs.map((x) => x.createUs))} µs`, `warm ${mmm(rs.map((x) => x.warmMs), 0)} ms`, `heap ${mmm(rs.map((x) => x.heapPer / 1024))} KB/account`, `RSS ${mmm(rs.map((x) => x.rssMb), 0)} MB`, `round-robin ${mmm(rs.map((x) => x.roundRobinNs), 0)} ns (Map ${mmm(rs.map((x) => x.mapNs), 0)} ns)`, `heap after drop ${mmm(rs.map((x) => x.heapAfterDropKb / 1024), 1)} MB`])
      }
      const per = (f) => ours.map(f)
      verdicts.push([`${n}: creating an account's provider (goal ≤ 5 µs)`, `${mmm(per((x) => x.createUs))} µs`, stats(per((x) => x.createUs)).median <= 5])
      verdicts.push([`${n}: round-robin getToken() vs a Map lookup (goal ≤ 1.5×)`, `${mmm(per((x) => x.roundRobinNs / x.mapNs))}×`, stats(per((x) => x.roundRobinNs / x.mapNs)).median <= 1.5])
      verdicts.push([`${n}: warming vs Map + plain fetch (goal ≤ 1.2×)`, `${mmm(ours.map((x, i) => x.warmMs / floor[i].warmMs))}×`, stats(ours.map((x, i) => x.warmMs / floor[i].warmMs)).median <= 1.2])
      verdicts.push([`${n}: heap per cached account (goal ≤ 1.0 KB at 100k)`, `${mmm(per((x) => x.heapPer / 1024))} KB`, stats(per((x) => x.heapPer / 1024)).median <= 1.0])
    }
  } finally {
    server.close()
  }
  return { title: `Many accounts: one carrier client, ${SIZES.map((n) => n.toLocaleString('en-US')).join(' / ')} accounts (median (min–max) of ${RUNS} runs, each in its own process)`, rows, verdicts }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await manyAccounts()
  console.log(JSON.stringify(s, null, 1))
}
