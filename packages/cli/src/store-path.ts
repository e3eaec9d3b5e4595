import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { CliError, EXIT } from './exit-codes.js'

/** Overrides the default token file for every command (handy in CI and tests). */
export const STORE_VARIABLE = 'CARRIER_AUTH_STORE'

/**
 * Where the CLI keeps tokens, refresh-token pairs and credential cooldowns: --store, then
 * $CARRIER_AUTH_STORE, then the user's config folder. The file outlives the process on purpose:
 * a rotated refresh token must not be lost, and a cooldown after rejected credentials must hold
 * across invocations, or a retry loop in a shell script could lock a Posti account.
 */
export function storePath(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option) return resolve(option)
  const fromEnv = env[STORE_VARIABLE]
  if (fromEnv) return resolve(fromEnv)
  const configHome = env.XDG_CONFIG_HOME || (process.platform === 'win32' && env.APPDATA) || join(homedir(), '.config')
  return join(configHome, 'carrier-auth', 'tokens.json')
}

/** A file-system failure writing the token file, as a configuration error naming the file. */
export function storeWriteError(error: unknown, path: string): CliError | undefined {
  const errno = error as NodeJS.ErrnoException
  if (!(error instanceof Error) || typeof errno.code !== 'string' || typeof errno.syscall !== 'string') return undefined
  return new CliError(`Cannot write the token file ${path} (${errno.code}): fix its folder's permissions or choose another with --store.`, EXIT.config)
}
