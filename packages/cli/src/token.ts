import type { AccessToken } from '@carrier-auth/core'
import { FileStore } from '@carrier-auth/core/file-store'
import { accountName, asAuthorizationCode, requireAccounts } from './account.js'
import { ENDPOINT_OPTIONS, parseOrHelp, STORE_OPTION } from './args.js'
import { carrierArgument, credentialVariables, endpointHint, endpointArgs, listed } from './carrier-config.js'
import { carrierSession } from './carrier-session.js'
import { carrierTable } from './carrier-table.js'
import type { Command } from './command.js'
import { reportEvents } from './events.js'
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js'
import { STORE_VARIABLE } from './store-path.js'

const help = () => `Usage: carrier-auth token <carrier> [--env <environment> | --base-url <url>] [--json | --header]
                          [--account <name>] [--store <file>]

Prints an access token for <carrier>, requested with the credentials in the carrier's environment
variables and cached in the token file, so repeated runs reuse one token until it nears expiry.
The token goes to stdout and nothing else does; credentials are never printed.

Options:
  --env <environment>  the carrier's environment (default: its test environment, below)
  --base-url <url>     the token endpoint's base URL instead: an emulator, a proxy
                       (https, or http to a loopback host)
  --json               print {"accessToken","tokenType","expiresAt","issuedAt","scope"}
                       (times as ISO 8601)
  --header             print "Authorization: Bearer <token>", ready for curl -H
  --account <name>     the token of a customer account connected with carrier-auth authorize
  --store <file>       the token file (default: $${STORE_VARIABLE}, else
                       ~/.config/carrier-auth/tokens.json); it also keeps the cooldown after
                       rejected credentials, so a retry loop cannot lock an account
  --help               this text

Credentials, read from environment variables:
${carrierTable()}

Examples:
  curl -H "$(carrier-auth token posti --header)" https://gateway.posti.fi/…
  carrier-auth token dhl-ecommerce --env production --json | jq -r .expiresAt

${EXIT_CODES_HELP}`

type Format = 'token' | 'json' | 'header'

function render(token: AccessToken, format: Format): string {
  if (format === 'header') return `Authorization: ${token.authorizationHeader}`
  if (format === 'token') return token.accessToken
  // The one place a token is serialised on purpose: AccessToken's own toJSON redacts it.
  return JSON.stringify({
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresAt: new Date(token.expiresAt).toISOString(),
    issuedAt: new Date(token.issuedAt).toISOString(),
    ...(token.scope !== undefined ? { scope: token.scope } : {}),
  })
}

export const tokenCommand: Command = {
  name: 'token',
  summary: 'print an access token (plain, --json, or an Authorization header for curl)',
  async run(argv, context) {
    const parsed = parseOrHelp('token', argv, { ...ENDPOINT_OPTIONS, ...STORE_OPTION, json: { type: 'boolean', default: false }, header: { type: 'boolean', default: false }, account: { type: 'string' } }, help, context.out)
    if (!parsed) return EXIT.ok
    const { values, positionals } = parsed
    const carrier = carrierArgument('token', positionals)
    if (values.json && values.header) throw new CliError('Pass --json or --header, not both.\nRun: carrier-auth token --help', EXIT.usage)
    const account = accountName(values.account)
    if (account !== undefined) requireAccounts('token', carrier)
    const { endpoint, credentials, path } = await carrierSession('token', carrier, values, context)
    const where = endpoint.baseUrl ?? endpoint.environment
    Object.assign(context.hints, {
      invalid_config: `${endpointHint(carrier)} The credentials come from ${listed(credentialVariables(carrier))}.`,
      invalid_credentials: `Check ${listed(credentialVariables(carrier))}: they must be ${carrier.displayName} credentials for ${where}.`,
      credentials_cooldown: `The cooldown is kept in ${path}; it protects the account from being locked. If these credentials are right now (fixed at ${carrier.displayName}), clear it: carrier-auth cooldown clear ${carrier.name}${endpointArgs(values)}`,
      ...(account !== undefined
        ? { invalid_grant: `Connect the account (again): carrier-auth authorize ${carrier.name} --account ${account} --redirect-port <port>${endpointArgs(values)}` }
        : {}),
    })

    const auth = carrier.create(credentials, { ...endpoint, store: new FileStore({ path }), onEvent: reportEvents(context, path) })
    const provider = account === undefined ? auth : asAuthorizationCode(carrier, auth).forAccount(account)
    const token = await provider.getToken()
    context.out(render(token, values.json ? 'json' : values.header ? 'header' : 'token'))
    return EXIT.ok
  },
}
