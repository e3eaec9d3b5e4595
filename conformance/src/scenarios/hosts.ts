import assert from 'node:assert/strict'
import { specValidator } from '../emulators/registry.js'
import { factsOf } from '../facts.js'
import { scenario } from './scenario.js'

/**
 * Every environment with a public host is built by name (`environment`, never `baseUrl`), and the
 * URL the package asks for must be the spec's server URL plus the token path: a typo in a profile's
 * host fails here.
 */
export const hosts = [
  scenario('hosts.documented', "each environment's token URL is the spec's server + path", async (ctx) => {
    const path = specValidator(ctx.carrier.name).pathOf('requestAccessToken')
    const environments = Object.entries(factsOf(ctx.carrier.name).hosts).filter((entry): entry is [string, string] => entry[1] !== null)
    assert.ok(environments.length > 0, 'the spec names at least one host')
    for (const [environment, host] of environments) {
      const routing = ctx.routeDocumentedHosts()
      const auth = ctx.auth({ environment, fetch: routing.fetch, store: undefined })
      const token = await auth.getToken().catch((error: unknown) => error)
      assert.deepEqual(routing.requested, [`${host}${path}`], `environment ${environment}: the package asked for ${routing.requested.join(', ') || 'nothing'}`)
      assert.ok(!(token instanceof Error), `environment ${environment}: ${token instanceof Error ? token.message : ''}`)
    }
  }, { emulatorOnly: true }),
]
