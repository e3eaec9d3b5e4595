// A consumer of the built package, run as a real child process: providers of one account of a
// carrier that locks accounts (5 failed logins, like Posti), each with the password in PASSWORD.
// LOAD=esm|cjs|both picks which copies of core are loaded; STORE=<path> shares a FileStore.
import { createRequire } from 'node:module'

const dist = new URL('../../../dist/', import.meta.url)
const require = createRequire(import.meta.url)
const copies = []
if (process.env.LOAD !== 'cjs') copies.push(await import(new URL('index.js', dist).href))
if (process.env.LOAD !== 'esm') copies.push(require(new URL('index.cjs', dist).pathname))
const fileStore = process.env.STORE ? await import(new URL('node/file-store.js', dist).href) : undefined

const outcomes = await Promise.allSettled(
  copies.flatMap(({ createCarrierAuth, defineProfile, formRequest, readOAuthToken }) => {
    const profile = defineProfile({
      carrier: 'locking',
      displayName: 'Locking',
      environments: { test: null },
      requiredCredentials: ['clientId', 'clientSecret'],
      identity: (c) => ({ clientId: c.clientId, secret: c.clientSecret }),
      grants: ['client_credentials'],
      requestToken: (client, c, _g, signal) =>
        client.POST('/token', formRequest({ basic: [c.clientId, c.clientSecret], body: { grant_type: 'client_credentials' }, signal })),
      readToken: readOAuthToken,
      policy: { defaultLifetimeMs: 3600000, refreshAheadMs: 0, credentialsCooldownMs: 1200000, lockout: { failures: 5, windowMs: 3600000 } },
    })
    const count = Number(process.env.PROVIDERS ?? 1)
    return Array.from({ length: count }, () => {
      const store = fileStore ? new fileStore.FileStore({ path: process.env.STORE }) : undefined
      return createCarrierAuth(profile, { clientId: 'account-1', clientSecret: process.env.PASSWORD, baseUrl: process.env.URL, store }).getToken()
    })
  }),
)
console.log(JSON.stringify(outcomes.map((o) => (o.status === 'fulfilled' ? 'token' : o.reason.code))))
