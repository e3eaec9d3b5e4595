import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
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

/** Why the token file cannot be read and written the way the file store does, or undefined. */
async function storeProblem(path: string): Promise<string | undefined> {
  try {
    // What FileStore reads: a missing file is fine, anything else must be its JSON.
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)))
    if (text !== undefined) JSON.parse(text)
    // What it writes: a temporary file beside it (renamed over it), in a folder it may create.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    const probe = `${path}.${randomUUID()}.probe`
    await writeFile(probe, '', { mode: 0o600 })
    await rm(probe, { force: true })
    return undefined
  } catch (error) {
    const errno = error as NodeJS.ErrnoException
    return error instanceof SyntaxError ? 'it is not a carrier-auth token file' : (errno.code ?? errno.message)
  }
}

/**
 * For a carrier that locks accounts after failed logins (Posti), the token file is what keeps the
 * cooldown between runs: without it a retry loop in a script could lock the account. So an
 * unusable file stops the command before the carrier is called, instead of a warning after.
 */
export async function requireUsableStore(path: string, carrier: { displayName: string; locksAccounts: boolean }): Promise<void> {
  if (!carrier.locksAccounts) return
  const problem = await storeProblem(path)
  if (problem === undefined) return
  throw new CliError(
    `The token file ${path} cannot be used (${problem}). ${carrier.displayName} locks an account after repeated failed logins, and the token file keeps the cooldown that prevents it, so carrier-auth does not call ${carrier.displayName} without one. Fix the file or choose another with --store.`,
    EXIT.config,
  )
}
