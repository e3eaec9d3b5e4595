import type { AuthorizationCodeAuth, CarrierAuth } from '@carrier-auth/core'
import { carriers } from '@carrier-auth/conformance'
import type { Carrier } from './carrier-config.js'
import { CliError, EXIT } from './exit-codes.js'

/** The carriers that can connect customer accounts (authorization code + rotating refresh tokens). */
const withAccounts = () => carriers.filter((c) => c.rotatesRefreshTokens).map((c) => c.name)

/** Checked before anything is read from the environment, so a usage error is reported as one. */
export function requireAccounts(command: string, carrier: Carrier): void {
  if (!carrier.rotatesRefreshTokens) {
    throw new CliError(
      `${carrier.displayName} has no authorization-code grant, so it has no customer accounts to ${command === 'authorize' ? 'connect' : 'use'}: only ${withAccounts().join(', ')} ${withAccounts().length === 1 ? 'has' : 'have'}.`,
      EXIT.usage,
    )
  }
}

/** The registry's factories are typed as plain CarrierAuth; these carriers return the richer one. */
export function asAuthorizationCode(carrier: Carrier, auth: CarrierAuth): AuthorizationCodeAuth {
  const candidate = auth as Partial<AuthorizationCodeAuth>
  if (typeof candidate.authorizeUrl !== 'function' || typeof candidate.forAccount !== 'function') {
    throw new Error(`${carrier.name} is registered as rotating refresh tokens but its factory has no authorizeUrl`)
  }
  return auth as AuthorizationCodeAuth
}

/** The account name from the command line: a key in the token file, so non-empty and printable. */
export function accountName(raw: string | undefined, fallback?: string): string | undefined {
  const name = raw ?? fallback
  if (name === undefined) return undefined
  if (!/^[\w.@+-]{1,128}$/.test(name)) {
    throw new CliError(`--account must be 1–128 letters, digits or . _ @ + -, not "${name}".`, EXIT.usage)
  }
  return name
}
