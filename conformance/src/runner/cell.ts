import { CarrierAuthError, type CarrierAuthEvent, createManualClock, MemoryStore } from '@carrier-auth/core'
import type { CarrierAuthOptions } from '@carrier-auth/core'
import type { CarrierUnderTest } from '../carriers.js'
import { type Emulator, startEmulator } from '../emulators/index.js'
import type { Scenario, ScenarioContext } from '../scenarios/index.js'
import { factsOf } from '../facts.js'
import { routeDocumentedHosts } from './host-routing.js'
import { findLeaks } from './leak-check.js'
import { cellSecrets, scrubReportText } from './secrets.js'

export type CellStatus = 'pass' | 'fail' | 'n/a'

export interface CellResult {
  carrier: string
  scenario: string
  title: string
  status: CellStatus
  /** Why n/a, or what failed. */
  detail?: string
  durationMs: number
}

/** Where a cell's token endpoint is: an emulator, or a carrier's real sandbox. */
export type Target =
  | { kind: 'emulator' }
  | { kind: 'live'; credentials: Record<string, string> | undefined; environment: string; baseUrl?: string | undefined }

/** The lifetime the emulators issue, unlike any carrier's default, so a scenario can tell them apart. */
const EMULATED_TTL_SECONDS = 4321
const CELL_TIMEOUT_MS = 60_000
const MAX_DETAIL = 600

/** Runs one scenario against one carrier with a fresh endpoint, store, clock and event log. */
export async function runCell(scenario: Scenario, carrier: CarrierUnderTest, target: Target): Promise<CellResult> {
  const base = { carrier: carrier.name, scenario: scenario.id, title: scenario.title }
  const started = performance.now()
  const na = (detail: string): CellResult => ({ ...base, status: 'n/a', detail, durationMs: 0 })
  const applies = scenario.appliesTo?.(carrier) ?? true
  if (applies !== true) return na(applies)
  if (target.kind === 'live') {
    if (scenario.emulatorOnly) return na('live: needs the emulator (faults or a real account at risk)')
    if (!target.credentials) return na('no credentials')
  }

  const clock = createManualClock(Date.now())
  let emulator: Emulator | undefined
  try {
    const tokenTtlSeconds = scenario.documentedLifetime ? factsOf(carrier.name).accessTokenLifetimeSeconds : EMULATED_TTL_SECONDS
    emulator = target.kind === 'emulator' ? await startEmulator(carrier.name, { clock, tokenTtlSeconds }) : undefined
    const credentials = emulator ? { ...emulator.credentials } : target.kind === 'live' ? target.credentials! : {}
    const ctx = makeContext(carrier, target, emulator, credentials, clock)
    let failure: unknown
    await withTimeout(scenario.run(ctx), CELL_TIMEOUT_MS).catch((e: unknown) => (failure = e))
    const secrets = cellSecrets({
      credentials,
      wrongCredentials: ctx.wrongCredentials(),
      secretField: carrier.secretField,
      tokens: [...(emulator?.issuedSecrets ?? []), ...ctx.seenTokens],
    })
    const leaks = findLeaks([...ctx.events, ...ctx.errors, ...ctx.outputs, ...(failure ? [failure] : [])], secrets)
    const durationMs = Math.round(performance.now() - started)
    // Whatever a cell reports goes into CI artifacts: it passes the leak check's scrubber first.
    const fail = (detail: string): CellResult => ({ ...base, status: 'fail', detail: scrubReportText(detail, secrets).slice(0, MAX_DETAIL), durationMs })
    // A scenario that finds out only while running that it cannot apply here (no Redis) says so.
    if (failure instanceof Error && failure.message.startsWith('n/a:')) return na(scrubReportText(failure.message.slice(4).trim(), secrets))
    if (failure) return fail(describeFailure(failure))
    if (leaks.length) return fail(`leaked ${leaks.join('; ')}`)
    const requestViolations = (emulator?.requestViolations ?? []).filter((_, i) => !ctx.provokedViolations.has(i))
    if (requestViolations.length) return fail(`the package sent a request off-spec: ${requestViolations.join('; ')}`)
    const violations = emulator?.responseViolations ?? []
    if (violations.length) return fail(`emulator answered off-spec: ${violations[0]}`)
    return { ...base, status: 'pass', durationMs }
  } finally {
    await emulator?.close()
  }
}

function makeContext(
  carrier: CarrierUnderTest,
  target: Target,
  emulator: Emulator | undefined,
  credentials: Record<string, string>,
  clock: ReturnType<typeof createManualClock>,
) {
  const events: CarrierAuthEvent[] = []
  const errors: unknown[] = []
  const seenTokens = new Set<string>()
  const waiters: { type: string; resolve: (e: CarrierAuthEvent) => void }[] = []
  let liveRequests = 0
  const store = new MemoryStore({ clock })
  const baseUrl = emulator?.url ?? (target.kind === 'live' ? target.baseUrl : undefined)
  const environment = target.kind === 'live' && !target.baseUrl ? target.environment : undefined
  // Live runs count requests on the wire, since there is no emulator to ask.
  const countingFetch: typeof fetch = (input, init) => {
    liveRequests++
    return fetch(input, init)
  }
  const onEvent = (event: CarrierAuthEvent) => {
    events.push(event)
    for (const w of waiters.splice(0)) (w.type === event.type ? w.resolve(event) : waiters.push(w))
  }
  // Indexes into the emulator's request violations that a scenario caused on purpose.
  const provokedViolations = new Set<number>()
  const ctx: ScenarioContext & { errors: unknown[]; seenTokens: Set<string>; provokedViolations: Set<number> } = {
    provokedViolations,
    async provoking(run) {
      const from = emulator?.requestViolations.length ?? 0
      try {
        return await run()
      } finally {
        for (let i = from; i < (emulator?.requestViolations.length ?? 0); i++) provokedViolations.add(i)
      }
    },
    carrier,
    emulator,
    clock,
    store,
    events,
    errors,
    seenTokens,
    outputs: [],
    // A scenario that names an environment gets that environment's documented host, not baseUrl.
    auth: ({ credentials: given, ...options } = {}) =>
      carrier.create(given ?? credentials, {
        ...('environment' in options ? {} : baseUrl ? { baseUrl } : { environment }),
        clock,
        store,
        onEvent,
        ...(emulator ? {} : { fetch: countingFetch }),
        ...options,
      } as CarrierAuthOptions),
    providers: (n, options = {}) => Array.from({ length: n }, () => ctx.auth({ store: undefined, ...options })),
    routeDocumentedHosts: () => {
      if (!emulator) throw new Error('host routing needs the emulator')
      return routeDocumentedHosts(emulator, factsOf(carrier.name).hosts)
    },
    wrongCredentials: () => ({ ...credentials, [carrier.secretField]: `wrong-${credentials[carrier.secretField] ?? 'secret'}` }),
    tokenRequests: () => (emulator ? emulator.stats.tokenRequests : liveRequests),
    inject: (fault) => {
      if (!emulator) throw new Error('faults need the emulator')
      emulator.inject(fault)
    },
    nextEvent: (type) => new Promise((resolve) => waiters.push({ type, resolve: resolve as (e: CarrierAuthEvent) => void })),
    async rejects(promise, code) {
      const error = await promise.then(
        () => {
          throw new Error(`expected ${code}, but the call succeeded`)
        },
        (e: unknown) => e,
      )
      errors.push(error)
      if (!CarrierAuthError.isInstance(error)) throw new Error(`expected a CarrierAuthError ${code}, got ${String(error)}`)
      if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`)
      return error
    },
    seen(token) {
      seenTokens.add(token.accessToken)
      return token
    },
  }
  return ctx
}

// Cut after scrubbing: a secret cut in half would no longer be recognised.
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // An assertion with a message of its own says it all; node:assert appends a diff legend to it.
  const own = error instanceof Error && 'generatedMessage' in error && error.generatedMessage === false
  return message.split('\n').slice(0, own ? 1 : 3).join(' ')
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
