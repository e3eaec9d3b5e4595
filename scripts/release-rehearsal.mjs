#!/usr/bin/env node
// Release rehearsal: what the release workflow would do, against a throwaway local registry.
//  1. `changeset version` offline in a scratch copy: the pending changesets make one version for
//     every public package and no unasked-for major.
//  2. `changeset publish` to verdaccio on 127.0.0.1; the published manifests follow the dependency
//     rules (caret ranges, no private package named, one version) and every tarball has the LICENSE.
//  3. Each carrier installed into an empty folder the way a user would: only the carrier, core and
//     openapi-fetch's tree arrive, and ESM, CommonJS and TypeScript consumers get a token from an emulator.
//     The same for the add-ons: @carrier-auth/opentelemetry beside a carrier and the OpenTelemetry
//     SDK (one copy of core; a token request recorded), and @carrier-auth/postgres with pg (a token
//     shared through the PostgreSQL on 127.0.0.1:5432).
//  4. The footprint of a carrier, the emulators, the matrix and the CLI (packages, bytes), and one
//     copy of core when they are installed together.
//
// `pnpm release:rehearse`. Bounded in time, 127.0.0.1 only (verdaccio reaches the npm registry for
// third-party packages on the consumers' behalf), and it removes everything it made on any exit.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { carrierTable, failedRow, FACTORIES, rehearseCarrier } from './rehearsal/carrier.mjs'
import { footprint } from './rehearsal/footprint.mjs'
import { cleanEnv, elapsed, exec, Failure, finish, guard, log, MINUTE, onCleanup, ROOT, seconds, step } from './rehearsal/process.mjs'
import { gitState, publishedProblems, workspacePackages } from './rehearsal/publish.mjs'
import { createUser, startRegistry } from './rehearsal/registry.mjs'
import { rehearsePostgres } from './rehearsal/postgres.mjs'
import { rehearseTelemetry } from './rehearsal/telemetry.mjs'
import { rehearseVersion } from './rehearsal/version.mjs'

// Under load the installs dominate: twelve of them, 20-35 s each, after a build and a publish of
// about two minutes. A whole run took 6 min on a 2-core machine shared with five other jobs;
// the deadline leaves room for a slower registry on top.
guard(15 * MINUTE)

/** One install step of the table: its row, logged as it lands; a step that throws is a failed row. */
async function installStep(label, name, run) {
  const t0 = Date.now()
  const row = await run().catch((error) => failedRow(name, error))
  log(`${row.problems.length ? '✗' : '✓'} ${label} (${seconds(Date.now() - t0)}): ${row.packages.join(', ') || 'nothing installed'}`)
  for (const problem of row.problems) log(`    ${problem.split('\n').join('\n    ')}`)
  return row
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'carrier-auth-rehearsal-'))
  onCleanup(() => rm(work, { recursive: true, force: true }))
  log(`release rehearsal in ${work}`)
  const packages = await workspacePackages()
  const publishable = packages.filter((p) => !p.private)
  const unpublished = packages.filter((p) => p.private)

  step('changeset version, offline, in a scratch copy')
  const plan = await rehearseVersion(join(work, 'version'), { publishable })
  log(`the pending changesets release ${plan.next.length} packages as ${plan.to}: ${plan.next.map((p) => `${p.name} ${p.from} → ${p.to}`).join(', ')}`)

  step('build (turbo; cached when the workspace is already built)')
  await exec('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only'], { env: cleanEnv({}), timeoutMs: 5 * MINUTE })

  step('local registry')
  const registryDir = join(work, 'registry')
  await mkdir(registryDir)
  const { url: registry, port } = await startRegistry(registryDir)
  const token = await createUser(registry)
  const npmrc = join(work, 'npmrc')
  await writeFile(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\naudit=false\nfund=false\nupdate-notifier=false\nomit-lockfile-registry-resolved=false\n`, { mode: 0o600 })
  const ctx = { registry, npmrc, cache: join(work, 'npm-cache') }
  log(`verdaccio at ${registry}`)

  step('changeset publish')
  const before = await gitState()
  await exec('pnpm', ['exec', 'changeset', 'publish', '--no-git-tag'], {
    // changesets reads npm_config_registry to pick the registry and hands it to `pnpm publish`;
    // the user config carries the token for it.
    env: cleanEnv({ npm_config_registry: registry, NPM_CONFIG_REGISTRY: registry, NPM_CONFIG_USERCONFIG: npmrc }),
    timeoutMs: 4 * MINUTE,
  })
  const tarballs = join(work, 'tarballs')
  await mkdir(tarballs)
  const problems = await publishedProblems({ registry, publishable, unpublished, work: tarballs })
  if (problems.length) throw new Failure(`published packages are wrong:\n  ${problems.join('\n  ')}`)
  log(`published ${publishable.map((p) => `${p.name}@${p.version}`).join(', ')}: caret ranges, no private package named, LICENSE in every tarball`)
  const after = await gitState()
  if (before !== after) throw new Failure(`publishing changed the repository:\nbefore:\n${before}\nafter:\n${after}`)

  step('install each carrier package into an empty folder, from the local registry alone')
  const { startEmulator } = await import(pathToFileURL(join(ROOT, 'packages', 'emulators', 'dist', 'index.js')).href)
  const rows = []
  for (const carrier of Object.keys(FACTORIES)) {
    rows.push(await installStep(`@carrier-auth/${carrier}`, carrier, () => rehearseCarrier(carrier, { ctx, work, startEmulator })))
  }

  step('install @carrier-auth/opentelemetry beside a carrier, the OpenTelemetry API and SDK')
  rows.push(await installStep('@carrier-auth/opentelemetry', 'opentelemetry', () => rehearseTelemetry({ ctx, work, startEmulator })))

  step('install @carrier-auth/postgres with pg and share a token through PostgreSQL')
  rows.push(await installStep('@carrier-auth/postgres', 'posti + postgres', () => rehearsePostgres({ ctx, work, startEmulator })))
  log(`\n${carrierTable(rows)}`)

  step('what each install costs a user')
  const { rows: footprints, table } = await footprint({ ctx, work, version: publishable[0].version })
  log(`\n${table}`)
  for (const row of footprints) for (const problem of row.problems) log(`✗ ${row.label}: ${problem.split('\n').join('\n    ')}`)

  const failed = [...rows.filter((r) => r.problems.length || !r.token).map((r) => r.carrier), ...footprints.filter((r) => r.problems.length).map((r) => r.label)]
  log(`\nrelease rehearsal: ${failed.length ? `FAILED (${failed.join(', ')})` : 'passed'} in ${elapsed()}`)
  return failed.length ? 1 : 0
}

main().then(finish, (error) => {
  console.error(`\nrelease rehearsal failed: ${error instanceof Failure ? error.message : error.stack}`)
  void finish(1)
})
