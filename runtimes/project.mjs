// The packages as a user gets them: `pnpm pack` tarballs, installed with npm into a temporary
// project, plus the app, and bundles of it for the runtimes that take one file (workerd, edge).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bin } from './tools.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const PACKED = ['core', 'posti']

export function prepareProject() {
  const dir = mkdtempSync(join(tmpdir(), 'carrier-auth-runtimes-'))
  const tarballs = join(dir, 'tarballs')
  mkdirSync(tarballs)
  for (const name of PACKED) {
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', name), stdio: 'ignore' })
  }
  const dependencies = {}
  for (const file of readdirSync(tarballs)) {
    const name = PACKED.find((n) => file.startsWith(`carrier-auth-${n}-`))
    dependencies[`@carrier-auth/${name}`] = `file:./tarballs/${file}`
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'runtime-matrix-app', private: true, type: 'module', dependencies }, null, 2))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] })
  cpSync(join(here, 'app'), join(dir, 'app'), { recursive: true })
  bundle(dir, 'worker.mjs', ['--format=esm', '--conditions=workerd,worker,browser', '--external:cloudflare:workers'])
  bundle(dir, 'edge.mjs', ['--format=iife', '--conditions=edge-light,worker,browser'])
  return dir
}

/** The way wrangler and Vercel ship a function: one esbuild bundle of the app and its packages. */
function bundle(dir, entry, flags) {
  const out = join(dir, 'dist', entry.replace('.mjs', '.js'))
  execFileSync(bin('esbuild'), [join('app', entry), '--bundle', '--platform=neutral', '--main-fields=module,main', `--outfile=${out}`, '--log-level=warning', ...flags], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}
