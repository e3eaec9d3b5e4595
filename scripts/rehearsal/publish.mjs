// What `changeset publish` put in the registry, checked the way a user's npm would read it.
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cleanEnv, exec, ROOT } from './process.mjs'
import { publishedManifest } from './registry.mjs'

const RUNTIME_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies']
const ALL_FIELDS = [...RUNTIME_FIELDS, 'devDependencies']

export async function workspacePackages() {
  const out = await exec('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { env: cleanEnv({}) })
  return JSON.parse(out).filter((p) => p.name && p.path !== ROOT)
}

/** Only what a publish could touch: manifests, changelogs, changesets, the lockfile, tags. */
export async function gitState() {
  if (!existsSync(join(ROOT, '.git'))) return undefined
  const env = cleanEnv({})
  const status = await exec('git', ['status', '--porcelain', '--', ':(glob)**/package.json', ':(glob)**/CHANGELOG.md', '.changeset', 'pnpm-lock.yaml'], { env })
  const tags = await exec('git', ['tag', '--list'], { env })
  return `${status}\n--tags--\n${tags}`
}

/**
 * The rules of CONTRIBUTING.md's "Dependencies", on the published manifests: every `workspace:`
 * and `catalog:` range became a caret range (an exact pin would put a second copy of openapi-fetch
 * in a user's tree), no field names a private package, and a package depends on core (and any
 * other @carrier-auth package) at its own version, since they are released as one version.
 */
function manifestProblems(pkg, manifest, privateNames) {
  const problems = []
  for (const field of ALL_FIELDS) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (privateNames.has(dep)) problems.push(`${field}.${dep}: names a private package`)
      if (!RUNTIME_FIELDS.includes(field)) continue
      if (/^(workspace|catalog):/.test(range)) problems.push(`${field}.${dep} is still "${range}"`)
      else if (!/^\^\d+\.\d+\.\d+$/.test(range)) problems.push(`${field}.${dep} is "${range}", not a caret range`)
      else if (dep.startsWith('@carrier-auth/') && range !== `^${pkg.version}`) problems.push(`${field}.${dep} is "${range}", not ^${pkg.version}`)
    }
  }
  return problems
}

/** The LICENSE inside the published tarball, which must be the repository's. */
async function licenseProblem(manifest, work) {
  const res = await fetch(manifest.dist.tarball)
  if (!res.ok) return `tarball: HTTP ${res.status}`
  const file = join(work, `${manifest.name.replace('/', '-')}.tgz`)
  await writeFile(file, Buffer.from(await res.arrayBuffer()))
  const license = await exec('tar', ['-xOzf', file, 'package/LICENSE']).catch(() => undefined)
  if (license === undefined) return 'the tarball has no LICENSE'
  if (license !== (await readFile(join(ROOT, 'LICENSE'), 'utf8'))) return "the tarball's LICENSE is not the repository's"
  return undefined
}

/** Every problem with what was published; empty when all is well. */
export async function publishedProblems({ registry, publishable, unpublished, work }) {
  const problems = []
  const privateNames = new Set(unpublished.map((p) => p.name))
  for (const pkg of unpublished) {
    const res = await fetch(`${registry}${pkg.name.replace('/', '%2f')}`)
    if (res.status !== 404) problems.push(`${pkg.name} is private but the registry has it (HTTP ${res.status})`)
  }
  const versions = new Set(publishable.map((p) => p.version))
  if (versions.size > 1) problems.push(`the public packages have ${versions.size} versions (${[...versions].join(', ')}); they are released as one`)
  for (const pkg of publishable) {
    const manifest = await publishedManifest(registry, pkg.name, pkg.version)
    if (manifest.missing) {
      problems.push(`${pkg.name}: ${manifest.missing}`)
      continue
    }
    const license = await licenseProblem(manifest, work)
    for (const problem of [...manifestProblems(pkg, manifest, privateNames), ...(license ? [license] : [])]) problems.push(`${pkg.name}: ${problem}`)
  }
  return problems
}
