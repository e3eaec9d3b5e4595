import { createRequire } from 'node:module'
import { carrierNames } from './carrier-config.js'
import type { Command, Context } from './command.js'
import { commands } from './commands.js'
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js'
import { describeFailure } from './failure.js'
import { closest } from './suggest.js'
import { usageOf } from './usage.js'

const version = (): string => (createRequire(import.meta.url)('../package.json') as { version: string }).version

const help = () => `carrier-auth: OAuth 2.0 tokens for carrier APIs, on the command line.

Usage: carrier-auth <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(13)}${c.summary}`).join('\n')}

Carriers: ${carrierNames()}
Credentials are read from environment variables, never from the command line:
see carrier-auth token --help.

Run carrier-auth help <command> (or carrier-auth <command> --help) for a command's options.
  --version  the CLI's version

${EXIT_CODES_HELP}`

function unknownCommand(name: string): string {
  const names = commands.map((c) => c.name)
  const guess = closest(name, names)
  return `Unknown command "${name}"${guess ? `: did you mean ${guess}?` : ''}\nUsage: carrier-auth <command> [options], where <command> is one of ${names.join(', ')}.\nRun: carrier-auth help`
}

/** `help`, `help <command> [<subcommand>…]`, or a command and its arguments. */
function resolve(argv: string[]): { help: true } | { name: string; args: string[] } {
  const [first, ...rest] = argv
  if (first === 'help' || first === '--help' || first === '-h') {
    const [name, ...more] = rest
    return name === undefined ? { help: true } : { name, args: [...more, '--help'] }
  }
  return { name: first!, args: rest }
}

async function runCommand(command: Command, args: string[], context: Context): Promise<number> {
  try {
    return await command.run(args, context)
  } catch (error) {
    const { message, exitCode } = describeFailure(error, context.secrets, context.hints)
    const usage = error instanceof CliError && error.showUsage ? await usageOf(command, context) : undefined
    const [what, ...next] = message.split('\n')
    context.err([`carrier-auth ${command.name}: ${what}`, ...(usage ? [usage] : []), ...next].join('\n'))
    return exitCode
  }
}

/** Runs one command line and resolves to the process's exit code; prints on the context's streams. */
export async function main(argv: string[], context: Context): Promise<number> {
  if (argv.length === 0) {
    // Nothing asked: the help as a usage error, on stderr.
    context.err(help())
    return EXIT.usage
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    context.out(version())
    return EXIT.ok
  }
  const request = resolve(argv)
  if ('help' in request) {
    context.out(help())
    return EXIT.ok
  }
  const command = commands.find((c) => c.name === request.name)
  if (!command) {
    context.err(unknownCommand(request.name))
    return EXIT.usage
  }
  return runCommand(command, request.args, context)
}
