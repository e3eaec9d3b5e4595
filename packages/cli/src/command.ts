import type { Hints } from './failure.js'

/** What a command gets from the entry point: the environment, the two streams, the failure path. */
export interface Context {
  env: NodeJS.ProcessEnv
  /** Results: the token, the emulator's JSON, the authorize URL. */
  out(text: string): void
  /** Progress and explanations, kept off stdout so `$(carrier-auth token …)` captures the token alone. */
  err(text: string): void
  /** Values read so far that the error path must never print (credentials). */
  secrets: string[]
  /** CLI-specific next steps per error code, added to core's message when a command fails. */
  hints: Hints
}

export interface Command {
  name: string
  /** One line for the top-level help. */
  summary: string
  /** Answers --help itself. Resolves to the exit code; throws a CliError or a CarrierAuthError to fail with a message. */
  run(argv: string[], context: Context): Promise<number>
}
