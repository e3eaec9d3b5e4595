import type { EndpointOption } from '@carrier-auth/core'
import { type CarrierUnderTest, carriers } from '@carrier-auth/conformance'
import { noExtraPositionals } from './args.js'
import { CliError, EXIT } from './exit-codes.js'

/**
 * Everything per carrier comes from the conformance registry (factory, environment variables,
 * default environment), so the CLI, `conformance --live` and the READMEs name the same variables
 * and a sixth carrier needs no CLI change.
 */
export type Carrier = CarrierUnderTest

export const carrierNames = (): string => carriers.map((c) => c.name).join(', ')

/** The registry's `baseUrl` variable is an endpoint, not a credential (Packly's sandbox host). */
const BASE_URL_FIELD = 'baseUrl'

export function findCarrier(command: string, name: string | undefined): Carrier {
  if (name === undefined) {
    throw new CliError(`Name a carrier: carrier-auth ${command} <carrier> (one of ${carrierNames()}).`, EXIT.usage)
  }
  const found = carriers.find((c) => c.name === name)
  if (!found) throw new CliError(`Unknown carrier "${name}": use one of ${carrierNames()}.`, EXIT.usage)
  return found
}

/** The carrier a command names at `positionals[index]`, the last positional the command takes. */
export function carrierArgument(command: string, positionals: string[], index = 0): Carrier {
  noExtraPositionals(command.split(' ')[0]!, positionals, index + 1)
  return findCarrier(command, positionals[index])
}

/** The variables that hold the carrier's credentials, in the registry's order. */
export function credentialVariables(carrier: Carrier): string[] {
  return Object.entries(carrier.live.variables)
    .filter(([field]) => field !== BASE_URL_FIELD)
    .map(([, variable]) => variable)
}

export function baseUrlVariable(carrier: Carrier): string | undefined {
  return carrier.live.variables[BASE_URL_FIELD]
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** `A is not set`, `Neither A nor B is set`, `None of A, B or C is set`. */
function noneSet(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is not set`
  if (names.length === 2) return `Neither ${names[0]} nor ${names[1]} is set`
  return `None of ${names.slice(0, -1).join(', ')} or ${names.at(-1)} is set`
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== ''

/**
 * The carrier's credentials from the environment. A missing one is named (all of them, in one
 * message) and its value never is: the CLI takes no secret on its command line, where `ps` and
 * shell history would keep it.
 */
export function credentialsFromEnv(carrier: Carrier, env: NodeJS.ProcessEnv): Record<string, string> {
  const credentials: Record<string, string> = {}
  const missing: string[] = []
  for (const [field, variable] of Object.entries(carrier.live.variables)) {
    if (field === BASE_URL_FIELD) continue
    const value = env[variable]
    if (present(value)) credentials[field] = value
    else if (!carrier.optionalCredentials.includes(field)) missing.push(variable)
  }
  if (missing.length > 0) {
    const all = credentialVariables(carrier)
    throw new CliError(
      missing.length === all.length
        ? `${noneSet(all)}: carrier-auth reads the ${carrier.displayName} credentials from ${all.length === 1 ? 'it' : 'them'}. Export ${all.length === 1 ? 'it' : 'them'} and run the command again.`
        : `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not set (carrier-auth reads the ${carrier.displayName} credentials from ${listed(all)}). Export ${
            missing.length === 1 ? 'it' : 'them'
          } and run the command again.`,
      EXIT.config,
    )
  }
  return credentials
}

/**
 * `--env` / `--base-url` to factory options. With neither, the carrier's test environment (the
 * registry's live environment: a sandbox or QA, never production unless it is the only one), so a
 * bare `carrier-auth token posti` cannot touch a production account by accident.
 */
export function endpointFrom(
  command: string,
  carrier: Carrier,
  values: { env?: string | undefined; 'base-url'?: string | undefined },
  env: NodeJS.ProcessEnv,
): EndpointOption {
  if (values.env !== undefined && values['base-url'] !== undefined) {
    throw new CliError(`Pass --env or --base-url, not both.\nRun: carrier-auth ${command} --help`, EXIT.usage)
  }
  if (values['base-url'] !== undefined) return { baseUrl: values['base-url'] }
  const environment = values.env ?? carrier.live.environment
  // The registry's base URL variable belongs to its live environment (PACKLY_SANDBOX_BASE_URL).
  const variable = baseUrlVariable(carrier)
  const fromEnv = variable && environment === carrier.live.environment ? env[variable] : undefined
  return present(fromEnv) ? { baseUrl: fromEnv } : { environment }
}

/** What to tell the user when the factory refuses the endpoint (unknown environment, bad URL). */
export function endpointHint(carrier: Carrier): string {
  const variable = baseUrlVariable(carrier)
  return `Choose the endpoint with --env <environment> or --base-url <url>${variable ? `, or set ${variable} for ${carrier.live.environment}` : ''}.`
}

/** The endpoint options as they were given, to repeat them in a suggested next command. */
export function endpointArgs(values: { env?: string | undefined; 'base-url'?: string | undefined; store?: string | undefined }): string {
  const parts = [
    values['base-url'] !== undefined ? `--base-url ${values['base-url']}` : undefined,
    values.env !== undefined ? `--env ${values.env}` : undefined,
    values.store !== undefined ? `--store ${values.store}` : undefined,
  ]
  return parts.filter((p) => p !== undefined).map((p) => ` ${p}`).join('')
}
