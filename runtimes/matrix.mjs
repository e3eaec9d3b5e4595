#!/usr/bin/env node
// The runtime matrix: the packed packages on every runtime a team deploys to, against a Posti
// emulator started here, in Node. Writes runtimes/RESULTS.md and prints the table; exits 1 on any ❌.
// Usage: node runtimes/matrix.mjs [--only <substring of a runtime's name>]
import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CHECKS, runChecks, TOKEN_TTL_SECONDS } from './checks.mjs'
import { prepareProject } from './project.mjs'
import { targets } from './targets.mjs'
import { cacheDir } from './tools.mjs'

const here = new URL('.', import.meta.url).pathname
const { startEmulator } = await import(new URL('../conformance/dist/index.js', import.meta.url).href)
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const started = Date.now()

/** Starts the runtime's app and resolves with its base URL once it prints `listening <port>`. */
function launch(target, project) {
  const [command, args] = target.start(project)
  const child = spawn(command, args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(cacheDir, 'deno-dir') } })
  let output = ''
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start in 60 s: ${output.slice(-400)}`)), 60_000)
    const read = (chunk) => {
      output += chunk
      const port = /listening (\d+)/.exec(output)?.[1]
      if (port) {
        clearTimeout(timer)
        resolve(`http://127.0.0.1:${port}`)
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output.slice(-400)}`)))
  })
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', resolve)
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 3000).unref()
    })
  return { url, stop, output: () => output }
}

console.log(`runtime matrix: packing core and posti, runtimes cached in ${cacheDir}`)
const project = prepareProject()
const rows = []
for (const target of targets.filter((t) => !only || t.name.includes(only))) {
  const t0 = Date.now()
  const emulator = await startEmulator('posti', { tokenTtlSeconds: TOKEN_TTL_SECONDS })
  const app = launch(target, project)
  let results
  try {
    results = await runChecks(await app.url, emulator, { waitUntil: target.waitUntil ?? false, foreground: target.foreground ?? false })
  } catch (error) {
    results = Object.fromEntries(CHECKS.map((c) => [c, { ok: false, detail: String(error.message ?? error).split('\n')[0] }]))
  } finally {
    await app.stop()
    await emulator.close()
  }
  rows.push({ name: target.name, results })
  const mark = CHECKS.map((c) => (results[c].ok ? '✅' : '❌')).join(' ')
  console.log(`${mark}  ${target.name}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  for (const c of CHECKS) console.log(`     ${results[c].ok ? '✅' : '❌'} ${c}: ${results[c].detail}`)
  if (CHECKS.some((c) => !results[c].ok) && app.output().trim()) console.log(`     the runtime said:\n${app.output().trim().split('\n').slice(-15).map((l) => `       ${l}`).join('\n')}`)
}

const table = [
  `| runtime | ${CHECKS.join(' | ')} |`,
  `| --- | ${CHECKS.map(() => ':-:').join(' | ')} |`,
  ...rows.map((r) => `| ${r.name} | ${CHECKS.map((c) => (r.results[c].ok ? '✅' : '❌')).join(' | ')} |`),
].join('\n')
const failures = rows.flatMap((r) => CHECKS.filter((c) => !r.results[c].ok).map((c) => `- ${r.name}, ${c}: ${r.results[c].detail}`))
const report = [
  '# Runtime matrix',
  '',
  `The packed \`@carrier-auth/core\` and \`@carrier-auth/posti\` on each runtime, against a Posti emulator (${TOKEN_TTL_SECONDS} s tokens).`,
  'Written by `node runtimes/matrix.mjs` (run by `.ci/run`); versions are pinned in `runtimes/versions.json`.',
  '',
  table,
  '',
  ...(failures.length ? ['Failures:', '', ...failures, ''] : []),
].join('\n')
if (!only) writeFileSync(join(here, 'RESULTS.md'), report)
rmSync(project, { recursive: true, force: true })
console.log(`\n${table}\n${failures.length ? `\n${failures.join('\n')}\n` : ''}\nruntime matrix: ${((Date.now() - started) / 1000).toFixed(0)} s`)
process.exitCode = failures.length ? 1 : 0
