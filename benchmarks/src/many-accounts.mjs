import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const child = fileURLToPath(new URL('./many-accounts-child.mjs', import.meta.url))
const SIZES = (process.env.BENCH_ACCOUNTS ?? '1000,10000,100000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const CONTENDERS = ['carrier-auth', 'OAuth2Fetch', 'Map + plain fetch']

async function tokenServer() {
  const server = spawn(process.execPath, [fileURLToPath(new URL('./token-server-child.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [port] = await once(server.stdout, 'data')
  return { port: String(port).trim(), close: () => server.kill() }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] }
}
const fmt = (x, digits) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const mmm = (xs, digits = 2) => {
  const { min, median, max } = stats(xs)
  return xs.length === 1 ? fmt(median, digits) : `${fmt(median, digits)} (${fmt(min, digits)}–${fmt(max, digits)})`
}
const median = (xs) => stats(xs).median
const mark = (ok) => (ok ? '✅' : '❌')

/** Each contender at each size in a fresh process, RUNS times, against a token server in another. */
export async function manyAccounts() {
  const server = await tokenServer()
  const rows = []
  const verdicts = []
  /** A verdict as run.mjs prints it ([name, measured, met]); the goal named in the name. */
  const goal = (name, target, measured, met) => verdicts.push([`${name} (goal ${target})`, measured, met])
  try {
    for (const n of SIZES) {
      const runs = Object.fromEntries(CONTENDERS.map((c) => [c, []]))
      for (let r = 0; r < RUNS; r++) {
        // Contenders take turns within a run: each run's three see about the same machine load.
        for (const contender of CONTENDERS) {
          const started = Date.now()
          const { stdout } = await run(process.execPath, ['--expose-gc', '--max-old-space-size=4096', child, contender, String(n), server.port], { maxBuffer: 1 << 20 })
          const result = JSON.parse(stdout.trim().split('\n').pop())
          runs[contender].push({ ...result, wallS: (Date.now() - started) / 1000 })
          process.stderr.write(`many-accounts ${contender} ${n} run ${r + 1}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
        }
      }
      for (const [name, rs] of Object.entries(runs)) {
        rows.push([
          `${name}, ${n.toLocaleString('en-US')}`,
          `${mmm(rs.map((x) => x.createUs))} µs`,
          `${mmm(rs.map((x) => x.warmMs), 0)} ms`,
          `${mmm(rs.map((x) => x.heapPer / 1024))} KB`,
          `${mmm(rs.map((x) => x.rssMb), 0)} MB`,
          `${mmm(rs.map((x) => x.roundRobinNs), 0)} ns (${mmm(rs.map((x) => x.mapNs), 0)})`,
          `${mmm(rs.map((x) => x.heapAfterDropKb / 1024), 1)} MB`,
          `${mmm(rs.map((x) => x.heapAfterDayKb / 1024), 2)} MB of ${mmm(rs.map((x) => x.baselineKb / 1024), 1)}`,
          `${mmm(rs.map((x) => x.wallS), 0)} s`,
        ])
      }
      const ours = runs['carrier-auth']
      const peer = runs.OAuth2Fetch
      const floor = runs['Map + plain fetch']
      const pair = (f) => ours.map((x, i) => f(x, i))
      const at = n.toLocaleString('en-US')
      const create = ours.map((x) => x.createUs)
      goal(`${at}: creating an account's provider`, '≤ 5 µs', `${mmm(create)} µs`, median(create) <= 5)
      const heap = ours.map((x) => x.heapPer / 1024)
      const peerHeap = peer.map((x) => x.heapPer / 1024)
      goal(`${at}: heap per cached account`, `≤ 1.0 KB${n >= 100_000 ? '' : ' (at 100k)'}, below OAuth2Fetch's (${mmm(peerHeap)} KB)`, `${mmm(heap)} KB`, median(heap) <= 1.0 && median(heap) < median(peerHeap))
      const rr = ours.map((x) => x.roundRobinNs / x.mapNs)
      goal(`${at}: round-robin getToken() through account()`, '≤ 1.5× a Map lookup', `${mmm(rr)}×`, median(rr) <= 1.5)
      const warm = pair((x, i) => x.warmMs / floor[i].warmMs)
      goal(`${at}: warming every account, 16 in flight`, '≤ 1.2× Map + plain fetch', `${mmm(warm)}×`, median(warm) <= 1.2)
      const rss = pair((x, i) => x.rssMb / peer[i].rssMb)
      goal(`${at}: RSS`, "≤ 1.2× OAuth2Fetch's", `${mmm(rss)}× (${mmm(ours.map((x) => x.rssMb), 0)} vs ${mmm(peer.map((x) => x.rssMb), 0)} MB)`, median(rss) <= 1.2)
      const day = ours.map((x) => x.heapAfterDayKb / x.baselineKb)
      goal(`${at}: heap after the accounts are dropped and a day passes`, 'within 10% of baseline', `${median(day) >= 0 ? '+' : ''}${mmm(day.map((d) => d * 100), 1)}% (${mmm(ours.map((x) => x.heapAfterDayKb / 1024), 2)} MB)`, Math.abs(median(day)) <= 0.1)
    }
  } finally {
    server.close()
  }
  return {
    title: `Many accounts: one carrier client, ${SIZES.map((n) => n.toLocaleString('en-US')).join(' / ')} accounts (median (min–max) of ${RUNS} runs, each contender in its own process, the token server in another)`,
    header: ['contender, accounts', 'create', 'warm', 'heap / account', 'RSS', 'round-robin (Map floor)', 'heap after drop', 'heap a day later (baseline)', 'wall'],
    rows,
    verdicts,
  }
}

/** The section as Markdown: the goals first, each beside its figure, then the measured table. */
export function markdown(s) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [
    `## ${s.title}`,
    '',
    line(['goal', 'measured', 'met']),
    line(['---', '---', '---']),
    ...s.verdicts.map(([name, value, ok]) => line([name, value, mark(ok)])),
    '',
    line(s.header),
    line(s.header.map(() => '---')),
    ...s.rows.map(line),
    '',
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await manyAccounts()
  console.log(markdown(s))
}
