// Installing from the local registry into an empty folder, as a user would, and what arrived.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { cleanEnv, exec, MINUTE } from './process.mjs'

/** npm with the rehearsal's user config and cache, and nothing of the caller's. */
export const npmEnv = ({ npmrc, cache }, extra = {}) => cleanEnv({ NPM_CONFIG_USERCONFIG: npmrc, npm_config_cache: cache, npm_config_update_notifier: 'false', ...extra })

/** `npm install <specs>` in a new folder; returns the folder. */
export async function installInto(dir, specs, ctx) {
  await mkdir(dir, { recursive: true })
  const env = npmEnv(ctx)
  await exec('npm', ['init', '-y'], { cwd: dir, env })
  await exec('npm', ['install', ...specs, '--registry', ctx.registry, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir, env, timeoutMs: 3 * MINUTE })
  return dir
}

/** Every package under node_modules (nested and scoped included), by folder. */
export async function installedPackages(nodeModules) {
  const found = []
  async function walk(dir) {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.name.startsWith('@')) {
        await walk(path)
        continue
      }
      const manifest = JSON.parse(await readFile(join(path, 'package.json'), 'utf8'))
      found.push({ name: manifest.name, version: manifest.version, dependencies: Object.keys(manifest.dependencies ?? {}), path })
      await walk(join(path, 'node_modules'))
    }
  }
  await walk(nodeModules)
  return found
}

/** The packages reachable from `root` through `dependencies` (openapi-fetch's own tree, say). */
export function closure(packages, root) {
  const byName = new Map(packages.map((p) => [p.name, p]))
  const seen = new Set()
  const queue = [root]
  while (queue.length) {
    const name = queue.shift()
    if (seen.has(name) || !byName.has(name)) continue
    seen.add(name)
    queue.push(...byName.get(name).dependencies)
  }
  return seen
}

/** Bytes in the files, and bytes on disk (what `du` reports). */
export async function diskSize(dir) {
  let bytes = 0
  let onDisk = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const info = await stat(join(entry.parentPath ?? entry.path, entry.name))
    bytes += info.size
    onDisk += info.blocks * 512
  }
  return { bytes, onDisk }
}

/** Tarballs that did not come from the local registry (every one must). */
export async function resolvedElsewhere(dir, registry) {
  const lock = JSON.parse(await readFile(join(dir, 'node_modules', '.package-lock.json'), 'utf8'))
  return Object.entries(lock.packages ?? {})
    .filter(([path, meta]) => path && !meta.link && !meta.resolved?.startsWith(registry))
    .map(([path, meta]) => `${path} ← ${meta.resolved ?? 'unknown'}`)
}

export const kB = (bytes) => `${(bytes / 1024).toFixed(0)} kB`
