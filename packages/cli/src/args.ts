import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError, EXIT } from './exit-codes.js'
import { closest } from './suggest.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** The option parseArgs complained about, as the user typed it (`--jsn`, `-j`). */
function offendingOption(message: string): string | undefined {
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  const names = quoted.match(/--?[\w-]+/g) ?? []
  return names.find((n) => n.startsWith('--')) ?? names[0]
}

/** parseArgs' error as a sentence about this command's options, with a suggestion where one fits. */
function describeParseError(error: Error & { code?: string }, options: Options): string {
  const option = offendingOption(error.message)
  if (option === undefined) return error.message
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.keys(options)
    const typed = option.replace(/^--?/, '').split('=')[0]!
    const guess = option.startsWith('--') ? closest(typed, known) : undefined
    return guess === undefined ? `Unknown option ${option}.` : `Unknown option ${option}: did you mean --${guess}?`
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = option.replace(/^--?/, '')
    const long = Object.entries(options).find(([key, o]) => key === name || o.short === name)?.[0] ?? name
    return options[long]?.type === 'boolean' ? `--${long} takes no value.` : `--${long} needs a value.`
  }
  return error.message
}

/**
 * parseArgs in strict mode, with its errors turned into usage errors that say what was wrong in
 * the command's own terms; the entry point adds the command's usage line to them.
 */
export function parseCommand<O extends Options>(
  command: string,
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliError(`${describeParseError(error as Error, options)}\nRun: carrier-auth ${command} --help`, EXIT.usage, { showUsage: true })
  }
}

/** The options of every command that reaches a carrier's token endpoint. */
export const ENDPOINT_OPTIONS = { env: { type: 'string' }, 'base-url': { type: 'string' } } as const
/** The token file's option, for the commands that keep tokens or cooldowns. */
export const STORE_OPTION = { store: { type: 'string' } } as const
const HELP_OPTION = { help: { type: 'boolean', default: false } } as const

/**
 * A command's arguments, parsed as {@link parseCommand} does, with `--help` answered here: it
 * prints the command's help and gives `undefined`, so the command returns at once.
 */
export function parseOrHelp<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  help: () => string,
  out: (text: string) => void,
): ReturnType<typeof parseCommand<O & typeof HELP_OPTION>> | undefined {
  const parsed = parseCommand(command, argv, { ...options, ...HELP_OPTION } as O & typeof HELP_OPTION)
  if (!(parsed.values as { help?: boolean }).help) return parsed
  out(help())
  return undefined
}

/** Rejects positionals beyond the ones a command takes (a typo there should not pass silently). */
export function noExtraPositionals(command: string, positionals: string[], expected: number): void {
  if (positionals.length > expected) {
    throw new CliError(`Unexpected argument: ${positionals.slice(expected).join(' ')}\nRun: carrier-auth ${command} --help`, EXIT.usage, { showUsage: true })
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
