// A throwaway local registry (verdaccio on 127.0.0.1) with one user, for publishing and installing.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN, cleanEnv, Failure, freePort, killTree, log, onCleanup, tail, track, waitFor } from './process.mjs'

/** Our scope is local only (a name can never be resolved from the real registry); the rest is proxied. */
function verdaccioConfig(dir, port) {
  return `# Written by scripts/release-rehearsal.mjs; removed when it ends.
storage: ${JSON.stringify(join(dir, 'storage'))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(dir, 'htpasswd'))}
    max_users: 10
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
    max_fails: 5
packages:
  '@carrier-auth/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
server:
  keepAliveTimeout: 60
listen: 127.0.0.1:${port}
log: { type: stdout, format: pretty, level: warn }
`
}

/** Starts verdaccio (another process may take the free port first: a few tries). */
export async function startRegistry(dir) {
  for (let tries = 1; ; tries++) {
    try {
      return await startOnce(dir, await freePort())
    } catch (error) {
      if (tries >= 3) throw error
      log(`verdaccio did not start (${error.message.split('\n')[0]}); trying another port`)
    }
  }
}

async function startOnce(dir, port) {
  const url = `http://127.0.0.1:${port}/`
  const config = join(dir, 'verdaccio.yaml')
  await writeFile(config, verdaccioConfig(dir, port))
  const child = track(join(BIN, 'verdaccio'), ['--config', config, '--listen', `127.0.0.1:${port}`], { cwd: dir, env: cleanEnv({}) })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (c) => (output += c))
  child.stderr.setEncoding('utf8').on('data', (c) => (output += c))
  const exited = new Promise((resolve) => child.on('close', resolve))
  onCleanup(async () => {
    killTree(child, 'SIGTERM')
    const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))])
    if (!stopped) killTree(child, 'SIGKILL')
  })
  await waitFor('verdaccio', async () => {
    if (child.exitCode !== null) throw new Failure(`verdaccio exited ${child.exitCode}:\n${tail(output)}`)
    return (await fetch(`${url}-/ping`)).ok
  }, 30_000).catch((error) => {
    throw error instanceof Failure && child.exitCode !== null ? error : new Failure(`${error.message}\n${tail(output)}`)
  })
  return { url, port }
}

/** Creates a user (CouchDB-style adduser) and returns its token. */
export async function createUser(registry) {
  const name = `rehearsal-${process.pid}`
  const res = await fetch(`${registry}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password: `pw-${Date.now()}-${Math.random()}`, type: 'user', roles: [], date: new Date().toISOString() }),
  })
  const body = await res.json().catch(() => ({}))
  if (res.status !== 201 || typeof body.token !== 'string') throw new Failure(`verdaccio refused the user: HTTP ${res.status} ${JSON.stringify(body)}`)
  return body.token
}

/** A published version's manifest, as npm sees it. */
export async function publishedManifest(registry, name, version) {
  const res = await fetch(`${registry}${name.replace('/', '%2f')}`)
  if (!res.ok) return { missing: `not in the registry (HTTP ${res.status})` }
  const manifest = (await res.json()).versions?.[version]
  return manifest ?? { missing: `version ${version} missing from the packument` }
}
