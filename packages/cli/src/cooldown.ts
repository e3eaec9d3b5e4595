import { factsOf } from '@carrier-auth/conformance'
import { accountKey, clearLedger } from '@carrier-auth/core'
import { FileStore } from '@carrier-auth/core/file-store'
import { ENDPOINT_OPTIONS, parseOrHelp, STORE_OPTION } from './args.js'
import { type Carrier, carrierArgument, credentialVariables, endpointHint, listed } from './carrier-config.js'
import { carrierSession } from './carrier-session.js'
import { carrierTable } from './carrier-table.js'
import type { Command } from './command.js'
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js'
import { STORE_VARIABLE, storeWriteError } from './store-path.js'

const help = () => `Usage: carrier-auth cooldown clear <carrier> [--env <environment> | --base-url <url>] [--store <file>]

Clears the credentials cooldown of the account whose credentials are in the carrier's environment
variables, in the token file: credentials the carrier rejected before now may be sent once more.
Use it after fixing the password at the carrier (a reset, an unlocked account), when the same
credentials must be tried again before their cooldown ends. New credentials need no clear: they
are tried at once.

For a carrier that locks accounts (Posti), the limit on failed logins stays: the carrier still
counts the failures already made, so carrier-auth still never sends the one that would lock it.

Options:
  --env <environment>  the carrier's environment (default: its test environment, below)
  --base-url <url>     the token endpoint's base URL instead (an emulator, a proxy)
  --store <file>       the token file (default: $${STORE_VARIABLE}, else
                       ~/.config/carrier-auth/tokens.json)
  --help               this text

Credentials, read from environment variables (the client id or user name names the account):
${carrierTable()}

Example:
  carrier-auth cooldown clear posti --env prod

${EXIT_CODES_HELP}`

/** The credential that names the account: the one that is neither the secret nor a scope. */
function clientIdOf(carrier: Carrier, credentials: Record<string, string>): string {
  const field = Object.keys(carrier.live.variables).find((f) => f !== carrier.secretField && f !== 'scope' && f !== 'baseUrl')
  const value = field === undefined ? undefined : credentials[field]
  if (value === undefined) throw new Error(`${carrier.name}: the registry names no client id variable`)
  return value
}

const duration = (seconds: number) => (seconds === 3600 ? 'an hour' : seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} s`)

/** What the carrier does at the failed login that locks it, and what the clear does not change. */
function lockoutWarning(carrier: Carrier): string | undefined {
  const lockout = factsOf(carrier.name).lockout
  if (lockout === undefined) return undefined
  const n = lockout.maxFailedLogins
  return `carrier-auth: warning: ${carrier.displayName} locks the account for ${duration(lockout.durationSeconds)} after ${n} failed logins; clearing lets the next run try again at once, and carrier-auth still never sends a ${n}th failed login within the hour.`
}

export const cooldownCommand: Command = {
  name: 'cooldown',
  summary: 'cooldown clear <carrier>: let rejected credentials be tried again after a fix',
  async run(argv, context) {
    const parsed = parseOrHelp('cooldown', argv, { ...ENDPOINT_OPTIONS, ...STORE_OPTION }, help, context.out)
    if (!parsed) return EXIT.ok
    const { values, positionals } = parsed
    const [action] = positionals
    if (action !== 'clear') {
      const what = action === undefined ? 'Name what to do' : `Unknown subcommand "${action}"`
      throw new CliError(`${what}: carrier-auth cooldown clear <carrier>.\nRun: carrier-auth cooldown --help`, EXIT.usage, { showUsage: true })
    }
    const carrier = carrierArgument('cooldown clear', positionals, 1)
    const { endpoint, credentials, path } = await carrierSession('cooldown', carrier, values, context)
    context.hints.invalid_config = `${endpointHint(carrier)} The credentials come from ${listed(credentialVariables(carrier))}.`

    // The factory resolves the endpoint as `token` does (and refuses an unknown one); nothing is sent.
    const auth = carrier.create(credentials, endpoint)
    const account = accountKey({ carrier: auth.carrier, baseUrl: auth.baseUrl, clientId: clientIdOf(carrier, credentials) })
    try {
      await clearLedger(new FileStore({ path }), account)
    } catch (error) {
      throw storeWriteError(error, path) ?? error
    }
    const warning = lockoutWarning(carrier)
    if (warning) context.err(warning)
    context.out(`Cleared the credentials cooldown of the ${carrier.displayName} account at ${new URL(auth.baseUrl).host} in ${path}.`)
    return EXIT.ok
  },
}
