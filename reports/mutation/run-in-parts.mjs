// Runs a package's mutation test in parts (a few source files each), then merges the parts into
// one report: reports/mutation/<pkg>/mutation.json and index.html, with a score per file.
//
//   node reports/mutation/run-in-parts.mjs core            every part of core, in order, then merge
//   node reports/mutation/run-in-parts.mjs core rotation   one part again, then merge
//   node reports/mutation/run-in-parts.mjs core --merge    merge what the parts have so far
//
// Why parts: Stryker writes its report only when a run ends, and a full run of core takes longer
// than a loaded 2-core machine gives one sitting. Each part is a complete Stryker run of its files
// (its own initial run, every mutant of those files, the same config), so a part that finished is
// final however the others end; re-running one part replaces only it. Parts run incrementally
// against their own earlier result (reports/mutation/<pkg>/parts/<part>.json).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

// Files others are not changing first, so their figures hold on the merged code.
const PARTS = {
  core: {
    errors: ['src/retry.ts', 'src/redaction.ts', 'src/errors.ts', 'src/error-factory.ts', 'src/classify.ts', 'src/token-fields.ts', 'src/store-error.ts'],
    rotation: ['src/rotation.ts', 'src/authorization-code.ts'],
    request: ['src/token-request.ts', 'src/guarded-fetch.ts', 'src/token-endpoint.ts', 'src/lifetime.ts', 'src/lease.ts'],
    options: ['src/config.ts', 'src/stored-token-codec.ts', 'src/events.ts', 'src/debug-log.ts', 'src/cache-key.ts', 'src/middleware.ts', 'src/access-token.ts'],
    node: ['src/node/**/*.ts'],
    provider: ['src/token-provider.ts', 'src/clock.ts', 'src/acquire.ts', 'src/carrier-parts.ts', 'src/create-carrier-auth.ts', 'src/profile.ts', 'src/background.ts', 'src/cache-env.ts', 'src/request-slots.ts', 'src/coarse-clock.ts', 'src/abortable-waits.ts', 'src/client-credentials.ts'],
    ledger: ['src/ledger.ts', 'src/ledger-markers.ts', 'src/accounts.ts', 'src/memory-store.ts', 'src/messages.ts', 'src/sha256.ts', 'src/store.ts', 'src/openapi-client.ts', 'src/index.ts', 'src/account-auth.ts', 'src/kept-providers.ts', 'src/memory-only-pairs.ts', 'src/verified-secrets.ts', 'src/ledger-records.ts'],
  },
  redis: { all: ['src/**/*.ts'] },
}

const [pkg = 'core', ...rest] = process.argv.slice(2)
const parts = PARTS[pkg]
if (!parts) throw new Error(`no parts for ${pkg}`)
const out = join(root, 'reports', 'mutation', pkg)
const partsDir = join(out, 'parts')
mkdirSync(partsDir, { recursive: true })

const only = rest.filter((a) => !a.startsWith('--'))
if (!rest.includes('--merge')) {
  for (const [name, files] of Object.entries(parts)) {
    if (only.length > 0 && !only.includes(name)) continue
    const started = Date.now()
    console.log(`\n== ${pkg}/${name}: ${files.join(' ')}`)
    try {
      execFileSync('nice', ['-n', '10', 'npx', 'stryker', 'run', '--mutate', files.join(','), '--incrementalFile', join(partsDir, `${name}.json`), '--reporters', 'clear-text,progress-append-only'], {
        cwd: join(root, 'packages', pkg),
        stdio: 'inherit',
      })
    } catch (error) {
      console.log(`== ${pkg}/${name} failed: ${error.message}`)
      continue
    }
    console.log(`== ${pkg}/${name} done in ${Math.round((Date.now() - started) / 1000)} s`)
  }
}

// Merge: every finished part's files and tests into one mutation-testing report.
const reports = readdirSync(partsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(partsDir, f), 'utf8')))
if (reports.length === 0) process.exit(0)
const merged = { ...reports[0], files: {}, testFiles: {} }
for (const r of reports) {
  Object.assign(merged.files, r.files)
  Object.assign(merged.testFiles, r.testFiles ?? {})
}
writeFileSync(join(out, 'mutation.json'), JSON.stringify(merged))

const strykerCore = createRequire(join(root, 'packages', pkg, 'package.json')).resolve('@stryker-mutator/core')
const requireFromStryker = createRequire(strykerCore)
const elements = readFileSync(requireFromStryker.resolve('mutation-testing-elements/dist/mutation-test-elements.js'), 'utf8')
const json = JSON.stringify(merged).replace(/</g, '<"+"')
writeFileSync(
  join(out, 'index.html'),
  `<!DOCTYPE html><html><head><meta charset="utf-8"><script>${elements}</script></head><body>
<mutation-test-report-app titlePostfix="Stryker"></mutation-test-report-app>
<script>const app = document.querySelector('mutation-test-report-app'); app.report = ${json};
function updateTheme() { document.body.style.backgroundColor = app.themeBackgroundColor }
app.addEventListener('theme-changed', updateTheme); updateTheme();</script></body></html>`,
)

// The score table: detected (killed + timeout) over valid mutants (not static-ignored, compiling).
const rows = []
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0 }
for (const [file, { mutants }] of Object.entries(merged.files).sort()) {
  const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0 }
  for (const m of mutants) {
    if (m.status === 'Killed') c.killed++
    else if (m.status === 'Timeout') c.timeout++
    else if (m.status === 'Survived') c.survived++
    else if (m.status === 'NoCoverage') c.noCoverage++
    else if (m.status === 'RuntimeError' || m.status === 'CompileError') c.errors++
  }
  for (const k of Object.keys(total)) total[k] += c[k]
  rows.push([file, c])
}
const score = (c) => {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage
  return valid === 0 ? 'n/a' : `${((100 * (c.killed + c.timeout)) / valid).toFixed(2)} %`
}
const line = (name, c) => `| ${name} | ${score(c)} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.errors} |`
const table = [
  `| file (${pkg}) | score | killed | timeout | survived | no coverage | errors |`,
  '|---|---|---|---|---|---|---|',
  ...rows.map(([f, c]) => line(f, c)),
  line('**all**', total),
].join('\n')
writeFileSync(join(out, 'scores.md'), `${table}\n`)
console.log(table)
