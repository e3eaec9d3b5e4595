import { specs } from './generated/specs.js'
import type { CarrierName } from './emulators/types.js'

/**
 * A carrier's documented facts, read from its spec (`x-carrier-auth-facts` and `servers`), where
 * each one sits beside the doc sentence it comes from. The emulators and the scenarios both judge by
 * these, never by the carrier package's own profile: a package that gets a fact wrong is caught.
 */
export interface CarrierFacts {
  /** The lifetime the carrier's tokens carry (its examples' `expires_in`). */
  accessTokenLifetimeSeconds: number
  /** The lifetime a client assumes when the answer has none. */
  defaultLifetimeSeconds: number
  /** The doc's advice on when to replace a token, as a window of token ages, where it gives one. */
  refreshAfterSeconds?: { min: number; max: number }
  /** An account lockout after failed logins, where the carrier documents one. */
  lockout?: { maxFailedLogins: number; durationSeconds: number }
  /** The carrier describes itself as standard OAuth 2.0 (RFC 6749 headers and encodings apply). */
  oauth2Standard: boolean
  /** How HTTP Basic credentials may be encoded; `undefined` for carriers without Basic. */
  basicCredentials?: 'raw' | 'raw-or-form-encoded'
  /** PostFinance: how long an authorization code lives (an assumption, labelled in the spec). */
  authorizationCodeLifetimeSeconds?: number
  /** Environment name → base URL (the spec's `servers`); `null` where no public host exists. */
  hosts: Record<string, string | null>
}

type Node = Record<string, unknown>
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v)

function read(carrier: CarrierName): CarrierFacts {
  const doc = (specs as Record<string, unknown>)[carrier] as Node | undefined
  if (!doc) throw new Error(`specs/${carrier}.yaml is missing: a carrier is its spec and its package`)
  const raw = doc['x-carrier-auth-facts']
  if (!isNode(raw)) throw new Error(`specs/${carrier}.yaml has no x-carrier-auth-facts`)
  const fact = (name: string): Node | undefined => (isNode(raw[name]) ? raw[name] : undefined)
  const number = (name: string, key = 'value'): number => {
    const value = fact(name)?.[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`specs/${carrier}.yaml: x-carrier-auth-facts.${name}.${key} must be a positive number`)
    return value
  }
  const facts: CarrierFacts = {
    accessTokenLifetimeSeconds: number('accessTokenLifetimeSeconds'),
    defaultLifetimeSeconds: number('defaultLifetimeSeconds'),
    oauth2Standard: fact('oauth2Standard')?.value === true,
    hosts: hostsOf(doc),
  }
  const window = fact('refreshAdvice')?.refreshAfterSeconds
  if (isNode(window) && typeof window.min === 'number' && typeof window.max === 'number') facts.refreshAfterSeconds = { min: window.min, max: window.max }
  if (fact('lockout')) facts.lockout = { maxFailedLogins: number('lockout', 'maxFailedLogins'), durationSeconds: number('lockout', 'durationSeconds') }
  const basic = fact('basicCredentials')?.value
  if (basic === 'raw' || basic === 'raw-or-form-encoded') facts.basicCredentials = basic
  if (fact('authorizationCodeLifetimeSeconds')) facts.authorizationCodeLifetimeSeconds = number('authorizationCodeLifetimeSeconds')
  return facts
}

function hostsOf(doc: Node): Record<string, string | null> {
  const hosts: Record<string, string | null> = {}
  for (const server of Array.isArray(doc.servers) ? doc.servers : []) {
    if (isNode(server) && typeof server['x-environment'] === 'string' && typeof server.url === 'string') hosts[server['x-environment']] = server.url
  }
  const without = doc['x-environments-without-public-host']
  for (const name of Array.isArray(without) ? without : []) if (typeof name === 'string') hosts[name] = null
  return hosts
}

const cache = new Map<CarrierName, CarrierFacts>()

export function factsOf(carrier: CarrierName): CarrierFacts {
  let facts = cache.get(carrier)
  if (!facts) {
    facts = read(carrier)
    cache.set(carrier, facts)
  }
  return facts
}
