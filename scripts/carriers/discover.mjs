// The set of carriers, found in the workspace: every packages/<name>/package.json with a
// `"carrier-auth": { "carrier": "<name>", "factory": "create…Auth", "profile": "…Profile" }` field.
// Everything that names every carrier (the generated registry, the CI matrix, the rehearsal, the
// README tables, the package lists) is derived from this one list, in name order.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const defaultRoot = fileURLToPath(new URL('../../', import.meta.url))

/** `--root <dir>` on the command line, else the repository this script is in. */
export function rootFromArgs(argv = process.argv.slice(2)) {
  const at = argv.indexOf('--root')
  return at >= 0 && argv[at + 1] ? argv[at + 1] : defaultRoot
}

/** @returns {Promise<Array<{ name: string, packageName: string, dir: string, factory: string, profile: string, description: string }>>} */
export async function discoverCarriers(root = defaultRoot) {
  const carriers = []
  for (const entry of (await readdir(join(root, 'packages'), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue
    const dir = join(root, 'packages', entry.name)
    let manifest
    try {
      manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
    } catch {
      continue
    }
    const field = manifest['carrier-auth']
    if (!field?.carrier) continue
    if (manifest.name !== `@carrier-auth/${entry.name}`) throw new Error(`packages/${entry.name}: a carrier package is named @carrier-auth/${entry.name}`)
    if (field.carrier !== entry.name) throw new Error(`packages/${entry.name}: "carrier-auth".carrier must be the folder's name (${entry.name})`)
    for (const key of ['factory', 'profile']) {
      if (typeof field[key] !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(field[key])) throw new Error(`packages/${entry.name}: "carrier-auth".${key} must name an export of the package`)
    }
    carriers.push({ name: field.carrier, packageName: manifest.name, dir, factory: field.factory, profile: field.profile, description: manifest.description ?? '' })
  }
  return carriers
}

/** `dhl-ecommerce` → `dhlEcommerce`: a carrier's name as a JavaScript identifier. */
export const identifierOf = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase())
