import { createRequire } from 'node:module'
import { authorizeCommand } from './authorize.js'
import { carrierNames } from './carrier-config.js'
import type { Command, Context } from './command.js'
import { conformanceCommand } from './conformance.js'
import { emulateCommand } from './emulate.js'
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js'
import { describeFailure } from './failure.js'
import { tokenCommand } from './token.js'

const commands: readonly Command[] = [tokenCommand, authorizeCommand, conformanceCommand, emulateCommand]

const version = (): string => (createRequire(import.meta.url)('../package.json') as { version: string }).version

const help = () => `carrier-auth: OAuth 2.0 tokens for carrier APIs, on the command line.

Usage: carrier-auth <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(13)}${c.summary}`).join('\n')}

Carriers: ${carrierNames()}
Credentials are read from environment variables, never from the command line:
see carrier-auth token --help.

Run carrier-auth <command> --help (or carrier-auth help <command>) for a command's options.
  --version  the CLI's version

${EXIT_CODES_HELP}`

/** Runs one command line and resolves to the process's exit code; prints on the context's streams. */
export async function main(argv: string[], context: Context): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h') {
    // Asked for: stdout and 0. Nothing asked: the same text as a usage error.
    if (first === undefined) context.err(help())
    else context.out(help())
    return first === undefined ? EXIT.usage : EXIT.ok
  }
  if (first === '--version' || first === '-v') {
    context.out(version())
    return EXIT.ok
  }
  // `carrier-auth help token` is `carrier-auth token --help`.
  const [name, args] = first === 'help' && rest[0] !== undefined ? [rest[0], ['--help']] : [first, rest]
  const command = commands.find((c) => c.name === name)
  if (!command) {
    context.err(`Unknown command "${name}": use one of ${commands.map((c) => c.name).join(', ')}.\nRun: carrier-auth --help`)
    return EXIT.usage
  }
  try {
    return await command.run(args, context)
  } catch (error) {
    const { message, exitCode } = describeFailure(error, context.secrets, context.hints)
    context.err(`carrier-auth ${command.name}: ${message}`)
    return exitCode
  }
}
