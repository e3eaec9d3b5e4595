import type { Attributes } from '@opentelemetry/api'
import type { CarrierAuthEvent } from '@carrier-auth/core'
import { ATTRIBUTES as A } from './names.js'

/** `server.address` and `server.port` from an event's `host` (`gateway.example`, `127.0.0.1:8080`, `[::1]:80`). */
export function serverAttributes(host: string): Attributes {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host)
  if (!match) return {}
  const address = match[1]!.replace(/^\[|\]$/g, '')
  return match[2] === undefined ? { [A.serverAddress]: address } : { [A.serverAddress]: address, [A.serverPort]: Number(match[2]) }
}

/**
 * What every metric of an event carries: low-cardinality names only. The `keyId` is not here
 * (one series per identity would grow without bound); spans carry it.
 */
export function commonAttributes(event: CarrierAuthEvent): Attributes {
  const attributes: Attributes = { [A.carrier]: event.carrier, ...serverAttributes(event.host) }
  if (event.environment !== undefined) attributes[A.environment] = event.environment
  return attributes
}

/** `error.type` for something a store threw: its code (`ECONNREFUSED`) or its class name, never its message. */
export function storeErrorType(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER'
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? code : error.name
}

/** A carrier's OAuth error code, kept only when it looks like one (`invalid_client`), never free text. */
export function oauthErrorCode(value: string | undefined): string | undefined {
  return value !== undefined && /^[a-z][a-z0-9_]{0,63}$/i.test(value) ? value : undefined
}
