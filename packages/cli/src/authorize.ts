import { FileStore } from '@carrier-auth/core/file-store'
import { accountName, asAuthorizationCode, requireAccounts } from './account.js'
import { ENDPOINT_OPTIONS, parseOrHelp, parsePort, STORE_OPTION } from './args.js'
import { type CallbackServer, startCallbackServer } from './callback-server.js'
import { carrierArgument, credentialVariables, endpointHint, endpointArgs, listed } from './carrier-config.js'
import { carrierSession } from './carrier-session.js'
import type { Command } from './command.js'
import { reportEvents } from './events.js'
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js'
import { aborted, stopSignal } from './signals.js'
import { STORE_VARIABLE, storeWriteError } from './store-path.js'

const DEFAULT_ACCOUNT = 'default'
const DEFAULT_TIMEOUT_SECONDS = 300

const help = () => `Usage: carrier-auth authorize <carrier> --redirect-port <port> [--account <name>] [--store <file>]
                              [--env <environment> | --base-url <url>] [--scope <scopes>]
                              [--timeout <seconds>]

Connects a customer account with the authorization-code grant (postfinance): starts a callback
server on http://127.0.0.1:<port>/callback, prints the authorize URL to open in a browser, waits
for the redirect, checks its state, exchanges the code and stores the token pair in the token
file under the account name. Then "carrier-auth token <carrier> --account <name>" prints its
token, rotating the single-use refresh token through the same file.

Options:
  --redirect-port <port>  the callback server's port; http://127.0.0.1:<port>/callback must be a
                          redirect URI registered for the client (0: any free port, for emulators)
  --account <name>        the name the pair is stored under (default: ${DEFAULT_ACCOUNT})
  --store <file>          the token file (default: $${STORE_VARIABLE}, else
                          ~/.config/carrier-auth/tokens.json; written with mode 0600)
  --env <environment>     the carrier's environment (default: its only/test environment)
  --base-url <url>        the carrier's base URL instead (an emulator)
  --scope <scopes>        scopes to ask for, space separated (default: POSTFINANCE_SCOPE); token
                          runs for the account then need POSTFINANCE_SCOPE set to the same scopes
  --timeout <seconds>     how long to wait for the redirect (default: ${DEFAULT_TIMEOUT_SECONDS})
  --help                  this text

Credentials: POSTFINANCE_CLIENT_ID, POSTFINANCE_CLIENT_SECRET, POSTFINANCE_SCOPE (the client's scopes).
Only the account name is printed, never a code or a token.

${EXIT_CODES_HELP}
  130 cancelled with Ctrl-C (nothing stored)`

/** A redirect's `error` is text from the network: print only a plain OAuth error code. */
const oauthCode = (value: string) => (/^[\w.-]{1,64}$/.test(value) ? value : 'an unreadable error')

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS
  const seconds = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new CliError(`--timeout must be a whole number of seconds, at least 1, not "${raw}".\nRun: carrier-auth authorize --help`, EXIT.usage)
  }
  return seconds
}

export const authorizeCommand: Command = {
  name: 'authorize',
  summary: 'connect a customer account (authorization code; postfinance) into the token file',
  async run(argv, context) {
    const parsed = parseOrHelp(
      'authorize',
      argv,
      { ...ENDPOINT_OPTIONS, ...STORE_OPTION, 'redirect-port': { type: 'string' }, account: { type: 'string' }, scope: { type: 'string' }, timeout: { type: 'string' } },
      help,
      context.out,
    )
    if (!parsed) return EXIT.ok
    const { values, positionals } = parsed
    const carrier = carrierArgument('authorize', positionals)
    requireAccounts('authorize', carrier)
    if (values['redirect-port'] === undefined) {
      throw new CliError('--redirect-port is required: the port of the redirect URI registered for the client.\nRun: carrier-auth authorize --help', EXIT.usage)
    }
    const port = parsePort('authorize', 'redirect-port', values['redirect-port'])
    const timeoutSeconds = parseTimeout(values.timeout)
    const account = accountName(values.account, DEFAULT_ACCOUNT) ?? DEFAULT_ACCOUNT
    const { endpoint, credentials, path } = await carrierSession('authorize', carrier, values, context)
    if (values.scope !== undefined) credentials.scope = values.scope
    Object.assign(context.hints, {
      invalid_config: `${endpointHint(carrier)} The credentials come from ${listed(credentialVariables(carrier))}.`,
      invalid_credentials: `Check ${listed(credentialVariables(carrier))}.`,
      invalid_grant: 'The code was refused (expired, used, or for another redirect URI): run carrier-auth authorize again.',
      state_mismatch: 'The redirect did not come from the authorization this run started: run carrier-auth authorize again.',
    })
    const auth = asAuthorizationCode(
      carrier,
      carrier.create(credentials, { ...endpoint, store: new FileStore({ path }), onEvent: reportEvents(context, path) }),
    )

    let server: CallbackServer
    try {
      server = await startCallbackServer(port)
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      throw new CliError(
        `Cannot listen on 127.0.0.1:${port} (${reason}): choose another --redirect-port, and register http://127.0.0.1:<port>/callback for the client.`,
        EXIT.config,
      )
    }
    const stop = stopSignal()
    let timer: NodeJS.Timeout | undefined
    try {
      const { url, state } = auth.authorizeUrl({ redirectUri: server.redirectUri, ...(values.scope !== undefined ? { scope: values.scope } : {}) })
      context.secrets.push(state)
      context.err(`Open this URL in a browser, sign in to ${carrier.displayName} and allow access for account "${account}":`)
      context.out(url)
      context.err(`Waiting for the redirect to ${server.redirectUri} for up to ${timeoutSeconds} s (Ctrl-C to cancel)…`)

      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000)))
      const outcome = await Promise.race([server.next, timedOut, aborted(stop.signal).then(() => 'cancelled' as const)])
      if (outcome === 'cancelled') {
        context.err('Cancelled; nothing was stored.')
        return 130
      }
      if (outcome === 'timeout') {
        throw new CliError(`No redirect arrived within ${timeoutSeconds} s: run the command again and open the URL it prints (or raise --timeout).`, EXIT.unavailable)
      }

      const denied = outcome.params.get('error')
      if (denied !== null) {
        await outcome.respond(400, `${carrier.displayName} did not authorize the account. See the terminal.`)
        throw new CliError(`${carrier.displayName} did not authorize the account: ${oauthCode(denied)}. Run the command again to retry.`, EXIT.rejected)
      }
      const code = outcome.params.get('code')
      if (!code) {
        await outcome.respond(400, 'The redirect carried no authorization code. See the terminal.')
        throw new CliError('The redirect carried no authorization code: run the command again.', EXIT.rejected)
      }
      context.secrets.push(code)
      try {
        // exchangeCode checks the state (constant time) before any request, then stores the pair.
        await auth.exchangeCode({ code, state: outcome.params.get('state') ?? '', expectedState: state, redirectUri: server.redirectUri, account })
      } catch (error) {
        await outcome.respond(400, 'carrier-auth could not connect the account. See the terminal.')
        throw storeWriteError(error, path) ?? error
      }
      await outcome.respond(200, `The ${carrier.displayName} account "${account}" is connected to carrier-auth. You can close this tab.`)
      context.out(`Connected ${carrier.displayName} account "${account}"; its token pair is stored in ${path}.`)
      context.err(`Its token: carrier-auth token ${carrier.name} --account ${account}${endpointArgs(values)}`)
      return EXIT.ok
    } finally {
      clearTimeout(timer)
      stop.dispose()
      await server.close()
    }
  },
}
