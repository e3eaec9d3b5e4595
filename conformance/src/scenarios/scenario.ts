import type { AccessToken, CarrierAuth, CarrierAuthError, CarrierAuthErrorCode, CarrierAuthEvent, CommonOptions, ManualClock, MemoryStore } from '@carrier-auth/core'
import type { CarrierUnderTest } from '../carriers.js'
import type { Emulator, Fault } from '../emulators/index.js'
import type { HostRouting } from '../runner/host-routing.js'

/** What the runner hands every scenario: one carrier, its endpoint, a fresh store and clock. */
export interface ScenarioContext {
  carrier: CarrierUnderTest
  /** The emulator; undefined in `--live` runs (scenarios that need it are n/a there). */
  emulator: Emulator | undefined
  clock: ManualClock
  store: MemoryStore
  /** A provider for this carrier on this endpoint, with the valid credentials, clock and store. */
  auth(options?: CommonOptions & { baseUrl?: string; environment?: string; credentials?: Record<string, string> }): CarrierAuth
  /**
   * A `fetch` that routes the carrier's documented hosts (the spec's servers) to the emulator and
   * records every URL the package asked for; any other host is refused.
   */
  routeDocumentedHosts(): HostRouting
  /**
   * `n` providers of this account built at once, as a provider per request or module does: each
   * with its own default memory store unless `options.store` says otherwise.
   */
  providers(n: number, options?: CommonOptions & { baseUrl?: string; environment?: string; credentials?: Record<string, string> }): CarrierAuth[]
  /** Valid credentials with the secret changed. */
  wrongCredentials(): Record<string, string>
  /** Token requests the endpoint has received. */
  tokenRequests(): number
  /** Injects a fault into the emulator. */
  inject(fault: Fault): void
  /** Every event of every provider made through `auth()`. */
  events: CarrierAuthEvent[]
  /** Resolves at the next event of this type. */
  nextEvent<T extends CarrierAuthEvent['type']>(type: T): Promise<Extract<CarrierAuthEvent, { type: T }>>
  /** Awaits a rejection and checks its code; the error joins the secrets check. */
  rejects(promise: Promise<unknown>, code: CarrierAuthErrorCode): Promise<CarrierAuthError>
  /** Tokens handed out in this scenario (for the secrets check). */
  seen(token: AccessToken): AccessToken
  /**
   * Runs requests the scenario sends off-spec on purpose: the request violations they cause are not
   * held against the package (every other one fails the cell).
   */
  provoking<T>(run: () => Promise<T>): Promise<T>
  /** Anything else the secrets check should render. */
  outputs: unknown[]
}

/** Whether a scenario applies: true, or the reason it cannot (shown as n/a). */
export type Applicability = true | string

/**
 * A conformance scenario: a declaration the runner drives. `run` throws (node:assert) when
 * what must hold does not.
 */
export interface Scenario {
  id: string
  title: string
  /** Needs the emulator (faults, server-side counts, wrong credentials): never run live. */
  emulatorOnly?: boolean
  appliesTo?(carrier: CarrierUnderTest): Applicability
  /** The emulator issues the carrier's documented lifetime instead of the matrix's telltale one. */
  documentedLifetime?: boolean
  run(ctx: ScenarioContext): Promise<void>
}

export function scenario(id: string, title: string, run: Scenario['run'], extra: Omit<Scenario, 'id' | 'title' | 'run'> = {}): Scenario {
  return { id, title, run, ...extra }
}
