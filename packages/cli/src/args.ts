import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError, EXIT } from './exit-codes.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * parseArgs in strict mode, with its errors turned into usage errors that point at the
 * command's --help (parseArgs' own messages already name the offending option).
 */
export function parseCommand<O extends Options>(
  command: string,
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nRun: carrier-auth ${command} --help`, EXIT.usage)
  }
}

/** Rejects positionals beyond the ones a command takes (a typo there should not pass silently). */
export function noExtraPositionals(command: string, positionals: string[], expected: number): void {
  if (positionals.length > expected) {
    throw new CliError(`Unexpected argument: ${positionals.slice(expected).join(' ')}\nRun: carrier-auth ${command} --help`, EXIT.usage)
  }
}

/** A TCP port from the command line: 0 (any free port) to 65535. */
export function parsePort(command: string, option: string, raw: string): number {
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--${option} must be a port number from 0 to 65535, not "${raw}".\nRun: carrier-auth ${command} --help`, EXIT.usage)
  }
  return port
}
