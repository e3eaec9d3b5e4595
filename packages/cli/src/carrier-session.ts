import { factsOf } from '@carrier-auth/conformance'
import { type Carrier, credentialsFromEnv, endpointFrom } from './carrier-config.js'
import type { Context } from './command.js'
import { requireUsableStore, storePath } from './store-path.js'

/**
 * What every command that talks to a carrier settles first, in one order: the endpoint, the
 * credentials from the environment (from then on never printed), and the token file, refused up
 * front when it cannot hold a documented lockout's cooldown.
 */
export async function carrierSession(
  command: string,
  carrier: Carrier,
  values: { env?: string | undefined; 'base-url'?: string | undefined; store?: string | undefined },
  context: Context,
) {
  const endpoint = endpointFrom(command, carrier, values, context.env)
  const credentials = credentialsFromEnv(carrier, context.env)
  context.secrets.push(...Object.values(credentials))
  const path = storePath(values.store, context.env)
  await requireUsableStore(path, { displayName: carrier.displayName, locksAccounts: factsOf(carrier.name).lockout !== undefined })
  return { endpoint, credentials, path }
}
