/**
 * Exit codes are part of the CLI's contract: scripts branch on them, so each number means one
 * kind of thing to fix. Documented in `carrier-auth --help` and the README.
 */
export const EXIT = {
  ok: 0,
  /** Conformance: at least one cell failed. Anything else: an unexpected error (a bug). */
  failed: 1,
  /** The command line itself is wrong: unknown command, option or carrier. */
  usage: 2,
  /** Configuration: a credentials variable is missing, or the endpoint or store is unusable. */
  config: 3,
  /** The carrier refused: rejected credentials, the cooldown after them, a refused or mismatched authorization. */
  rejected: 4,
  /** The carrier or the network failed (5xx, 429, timeout, unreadable answer), or no redirect arrived in time. */
  unavailable: 5,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  conformance: a cell failed; otherwise an unexpected error (please report it)
  2  usage: unknown command, option or carrier
  3  configuration: a credentials variable is missing, or --env/--base-url/--store is unusable
  4  refused: the carrier rejected the credentials (or their cooldown is running), or the
     authorization was refused or its state did not match
  5  unavailable: the carrier or the network failed (5xx, 429, timeout, unreadable answer),
     or no authorization redirect arrived in time`

/** A failure the CLI explains itself: the message says what to fix, the code says what kind it is. */
export class CliError extends Error {
  override readonly name = 'CliError'
  readonly exitCode: ExitCode
  /** The command line itself was wrong: the entry point shows the command's usage line with it. */
  readonly showUsage: boolean

  constructor(message: string, exitCode: ExitCode, options: { showUsage?: boolean } = {}) {
    super(message)
    this.exitCode = exitCode
    this.showUsage = options.showUsage ?? false
  }
}
