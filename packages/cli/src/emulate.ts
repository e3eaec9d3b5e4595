import { type EmulatorRequestLog, startEmulator } from '@carrier-auth/conformance'
import { parseOrHelp, parsePort } from './args.js'
import { carrierArgument, carrierNames } from './carrier-config.js'
import type { Command } from './command.js'
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js'
import { aborted, stopSignal } from './signals.js'

const help = () => `Usage: carrier-auth emulate <carrier> [--port <port>]

Starts the conformance emulator of <carrier>'s token endpoint on 127.0.0.1, for trials with curl
or with carrier-auth token, and runs until Ctrl-C (SIGINT) or SIGTERM.

Logs one line per request to stderr: method, path, status and any way the request broke the
carrier's spec. Prints one JSON object to stdout: url (pass it as --base-url or baseUrl), tokenUrl, resourceUrl
(answers 200 to a token it issued), valid test credentials, and env: the same credentials under
the environment variable names carrier-auth token reads. These are the emulator's own throwaway
credentials, made up at start.

Carriers: ${carrierNames()}

Options:
  --port <port>  the port to listen on (default: 0, any free port)
  --help         this text

Example:
  carrier-auth emulate posti --port 8080
  POSTI_USERNAME=… POSTI_PASSWORD=… carrier-auth token posti --base-url http://127.0.0.1:8080

${EXIT_CODES_HELP}`

export const emulateCommand: Command = {
  name: 'emulate',
  summary: "start a carrier's token-endpoint emulator on 127.0.0.1 for manual trials",
  async run(argv, context) {
    const parsed = parseOrHelp('emulate', argv, { port: { type: 'string', default: '0' } }, help, context.out)
    if (!parsed) return EXIT.ok
    const { values, positionals } = parsed
    const carrier = carrierArgument('emulate', positionals)
    const port = parsePort('emulate', 'port', values.port)

    // Handlers first: a signal during start-up must still close the server.
    const stop = stopSignal()
    try {
      // One stderr line per request: method, path (never the query), status, and any spec violation.
      const onRequest = (entry: EmulatorRequestLog) =>
        context.err(`${entry.method} ${entry.path} → ${entry.status === 0 ? 'connection dropped' : entry.status}${entry.violations.length ? `  violations: ${entry.violations.join('; ')}` : ''}`)
      const emulator = await startEmulator(carrier.name, { port, onRequest }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
          throw new CliError(`Cannot listen on 127.0.0.1:${port} (${error.code}): choose another --port, or 0 for any free one.`, EXIT.config)
        }
        throw error
      })
      const credentials: Record<string, string> = { ...emulator.credentials }
      // The registry's variable names, so `export` lines drop straight into `carrier-auth token`.
      const env = Object.fromEntries(
        Object.entries(carrier.live.variables).map(([field, variable]) => [variable, field === 'baseUrl' ? emulator.url : (credentials[field] ?? '')]),
      )
      context.out(
        JSON.stringify(
          { carrier: carrier.name, url: emulator.url, tokenUrl: emulator.tokenUrl, resourceUrl: emulator.resourceUrl, credentials, env },
          null,
          2,
        ),
      )
      const assignments = Object.entries(env).map(([name, value]) => `${name}='${value}'`).join(' ')
      context.err(`${carrier.displayName} emulator at ${emulator.url}. Try:\n  ${assignments} carrier-auth token ${carrier.name} --base-url ${emulator.url}\nCtrl-C stops it.`)

      await aborted(stop.signal)
      await emulator.close()
      context.err(`Stopped after ${emulator.stats.tokenRequests} token request${emulator.stats.tokenRequests === 1 ? '' : 's'}.`)
      return EXIT.ok
    } finally {
      stop.dispose()
    }
  },
}
