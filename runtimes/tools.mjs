// Installs each pinned runtime from the npm registry into a cache folder reused across runs
// (one folder per package@version, so Node 20, 22 and 24 never collide). Works from nothing.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const versions = JSON.parse(readFileSync(join(here, 'versions.json'), 'utf8'))
export const cacheDir = process.env.CARRIER_AUTH_RUNTIMES_CACHE ?? join(homedir(), '.cache', 'carrier-auth-runtimes')

/** The folder holding `name`'s pinned package in node_modules, installed on first use. */
export function tool(name) {
  const { package: pkg, version } = versions[name]
  const dir = join(cacheDir, `${pkg}-${version}`)
  const marker = join(dir, '.installed')
  if (!existsSync(marker)) {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `runtime-${pkg}`, private: true }))
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `${pkg}@${version}`], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    writeFileSync(marker, `${pkg}@${version}\n`)
  }
  return dir
}

/** The path of a tool's executable (`node_modules/.bin/<bin>`). */
export function bin(name, binName = versions[name].package) {
  return join(tool(name), 'node_modules', '.bin', binName)
}
