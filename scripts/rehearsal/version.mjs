// `changeset version` as the Version Packages PR will run it, in a scratch copy of the manifests,
// offline: what the pending changesets would release, checked before anything is published.
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { cleanEnv, exec, Failure, ROOT } from './process.mjs'

/** The changelog generator the repository configures, as [module, options]. */
async function configuredChangelog() {
  const config = JSON.parse(await readFile(join(ROOT, '.changeset', 'config.json'), 'utf8'))
  return [config, Array.isArray(config.changelog) ? config.changelog : [config.changelog, null]]
}

async function copyManifests(scratch, packages) {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) await cp(join(ROOT, file), join(scratch, file))
  await cp(join(ROOT, '.changeset'), join(scratch, '.changeset'), { recursive: true })
  for (const pkg of packages) {
    const dir = join(scratch, relative(ROOT, pkg.path))
    await mkdir(dir, { recursive: true })
    for (const file of ['package.json', 'CHANGELOG.md']) await cp(join(pkg.path, file), join(dir, file)).catch(() => {})
  }
  // The changelog generators resolve from .changeset/, through the repository's node_modules.
  await symlink(join(ROOT, 'node_modules'), join(scratch, 'node_modules'))
}

/** Pending changesets that ask for a major bump of some package. */
async function askedForMajor() {
  const dir = join(ROOT, '.changeset')
  const asked = new Set()
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(await readFile(join(dir, file), 'utf8'))?.[1] ?? ''
    for (const [, name] of front.matchAll(/^["']?([^"':]+)["']?\s*:\s*major\s*$/gm)) asked.add(name)
  }
  return asked
}

const major = (version) => Number(version.split('.')[0])

/**
 * Runs `changeset version` in `scratch` and returns `{ from, to, packages }`; fails when the plan
 * is not one version for every public package, or a package jumps a major no changeset asked for
 * (a peer dependency on a 0.x package does that: see CONTRIBUTING.md, "Dependencies").
 */
export async function rehearseVersion(scratch, { publishable }) {
  await copyManifests(scratch, publishable)
  // changelog-github asks GitHub's API for each changeset's PR and author: it needs GITHUB_TOKEN
  // and the network, which the release job has and a rehearsal need not. Here it only has to be
  // installed and configured; the entries are written by changesets' offline generator.
  const [config, [changelog, options]] = await configuredChangelog()
  createRequire(join(ROOT, '.changeset', 'config.json')).resolve(changelog)
  if (changelog === '@changesets/changelog-github' && !options?.repo) throw new Failure('.changeset/config.json: changelog-github needs { "repo": "owner/name" }')
  await writeFile(join(scratch, '.changeset', 'config.json'), JSON.stringify({ ...config, changelog: '@changesets/cli/changelog' }, null, 2))

  const env = cleanEnv({ GIT_AUTHOR_NAME: 'rehearsal', GIT_AUTHOR_EMAIL: 'rehearsal@127.0.0.1', GIT_COMMITTER_NAME: 'rehearsal', GIT_COMMITTER_EMAIL: 'rehearsal@127.0.0.1' })
  delete env.GITHUB_TOKEN
  // A repository of its own, so changesets can find the commit that added each changeset.
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'scratch']]) await exec('git', args, { cwd: scratch, env })
  await exec(process.execPath, [join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], { cwd: scratch, env })

  const majors = await askedForMajor()
  const problems = []
  const next = []
  for (const pkg of publishable) {
    const dir = join(scratch, relative(ROOT, pkg.path))
    const { version } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
    next.push({ name: pkg.name, from: pkg.version, to: version })
    if (major(version) > major(pkg.version) && !majors.has(pkg.name)) problems.push(`${pkg.name}: ${pkg.version} → ${version}, a major no changeset asked for`)
    const changelogText = await readFile(join(dir, 'CHANGELOG.md'), 'utf8').catch(() => '')
    if (version !== pkg.version && !changelogText.includes(`## ${version}`)) problems.push(`${pkg.name}: CHANGELOG.md has no "## ${version}"`)
  }
  const versions = new Set(next.map((p) => p.to))
  if (versions.size > 1) problems.push(`one version for every public package, but the plan has ${[...versions].join(', ')}`)
  if (problems.length) throw new Failure(`changeset version:\n  ${problems.join('\n  ')}`)
  return { next, to: [...versions][0] }
}
