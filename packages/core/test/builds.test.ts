import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { startTokenServer, type TokenServer } from './support/token-server.js'

const run = promisify(execFile)
const dist = fileURLToPath(new URL('../dist/', import.meta.url))

/** A consumer of the built package: the profile of test-profile.ts, in plain JavaScript. */
const consumer = (load: string) => `
const { createCarrierAuth, defineProfile, formRequest, readOAuthToken } = ${load}
const profile = defineProfile({
  carrier: 'built', displayName: 'Built', environments: { test: null }, requiredCredentials: ['clientId', 'clientSecret'],
  identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret }), grants: ['client_credentials'],
  requestToken: (client, c, _g, signal) => client.POST('/token', formRequest({ basic: [c.clientId, c.clientSecret], body: { grant_type: 'client_credentials' }, signal })),
  readToken: readOAuthToken, policy: { defaultLifetimeMs: 3600000, refreshAheadMs: 0, credentialsCooldownMs: 60000 },
})
createCarrierAuth(profile, { clientId: 'a', clientSecret: 'b', baseUrl: process.env.URL }).getToken().then((t) => console.log(t.tokenType))
`

describe('the built package', () => {
  let server: TokenServer
  beforeEach(async () => (server = await startTokenServer({ expiresIn: 3600 })))
  afterEach(() => server.close())

  test.each([
    ['CommonJS (require)', 'cjs', `require(${JSON.stringify(`${dist}index.cjs`)})`],
    ['ESM (import)', 'mjs', `await import(${JSON.stringify(`${dist}index.js`)})`],
  ])('%s gets a token', async (_name, kind, load) => {
    const code = consumer(load)
    const args = kind === 'mjs' ? ['--input-type=module', '-e', code] : ['-e', code]
    const { stdout } = await run(process.execPath, args, { env: { ...process.env, URL: server.url } })
    expect(stdout.trim()).toBe('Bearer')
  })
})
