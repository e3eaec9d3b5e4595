import { CarrierAuthError } from './errors.js'
import type { CarrierAuthEvent, EventListener } from './events.js'
import { scrub } from './redaction.js'

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'

/** A log sink for core's events (the msal-node shape): one line per event at or above `level`. */
export interface CarrierAuthLogger {
  /** The least severe level passed to `log`. Default `info`. */
  level?: LogLevel
  log(level: LogLevel, message: string): void
}

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 }

const LEVEL_OF: Record<CarrierAuthEvent['type'], LogLevel> = {
  token_request_failed: 'error',
  token_refresh_failed: 'warn',
  credentials_rejected: 'warn',
  refresh_token_rejected: 'warn',
  ledger_volatile: 'warn',
  store_unavailable: 'warn',
  retry_scheduled: 'warn',
  token_acquired: 'info',
  token_requested: 'debug',
}

export function levelOf(event: CarrierAuthEvent): LogLevel {
  return LEVEL_OF[event.type]
}

/** Fields that are epoch milliseconds, shown as ISO times. */
const TIMES = new Set(['at', 'expiresAt', 'cooldownUntil'])

/**
 * One log line for an event: `carrier-auth <level> <type> at=<ISO time> key=value …`. Events carry no secret by
 * construction; errors are rendered by their code (or name) and message only, never their
 * response, body or cause, and `secrets` (the provider's secret, a connected account's name) are
 * scrubbed from the line in case a store's error message quotes one.
 */
export function formatEvent(event: CarrierAuthEvent, secrets: readonly (string | undefined)[] = []): string {
  const parts = [`carrier-auth ${levelOf(event)} ${event.type} at=${render('at', event.at)}`]
  for (const [name, value] of Object.entries(event)) {
    if (name === 'type' || name === 'at' || value === undefined) continue
    parts.push(`${name}=${render(name, value)}`)
  }
  return scrub(parts.join(' '), secrets)
}

function render(name: string, value: unknown): string {
  if (typeof value === 'number') return TIMES.has(name) && Number.isFinite(value) ? new Date(value).toISOString() : String(value)
  if (typeof value === 'string') return /^[\w.:/@-]+$/.test(value) ? value : JSON.stringify(value)
  if (CarrierAuthError.isInstance(value)) return JSON.stringify(`${value.code}: ${value.message}`)
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return JSON.stringify(`${value.name}${typeof code === 'string' ? ` ${code}` : ''}: ${value.message.slice(0, 300)}`)
  }
  // Anything else a store might throw: its kind only, never its contents.
  return JSON.stringify(`(${typeof value})`)
}

interface RuntimeGlobals {
  process?: { env?: Record<string, string | undefined> }
  Deno?: { env?: { get(name: string): string | undefined } }
}

/** An environment variable where the runtime has an environment (Node, Bun, Deno); never throws. */
export function readEnvironment(name: string): string | undefined {
  const g = globalThis as RuntimeGlobals
  try {
    const value = g.process?.env?.[name]
    if (value !== undefined) return value
  } catch {
    // An environment we may not read.
  }
  try {
    return g.Deno?.env?.get(name)
  } catch {
    // Deno without --allow-env.
    return undefined
  }
}

/** `CARRIER_AUTH_DEBUG`: `1`, `true`, `yes`, `on` or `*` log every event; a level name logs from that level up. */
export function debugLevel(value = readEnvironment('CARRIER_AUTH_DEBUG')): LogLevel | undefined {
  const v = value?.trim().toLowerCase()
  if (!v) return undefined
  if (v in SEVERITY) return v as LogLevel
  return ['1', 'true', 'yes', 'on', '*'].includes(v) ? 'debug' : undefined
}

function enabled(level: LogLevel, threshold: LogLevel): boolean {
  return SEVERITY[level] <= SEVERITY[threshold]
}

/** A listener that writes events to `logger` at or above its level; a logger that throws is ignored. */
export function loggingListener(logger: CarrierAuthLogger, secrets: readonly (string | undefined)[] = []): EventListener {
  const threshold = logger.level ?? 'info'
  return (event) => {
    const level = levelOf(event)
    if (!enabled(level, threshold)) return
    try {
      logger.log(level, formatEvent(event, secrets))
    } catch {
      // Logging must never turn a token into an error.
    }
  }
}

/** The stderr logger `CARRIER_AUTH_DEBUG` turns on. */
export function stderrLogger(level: LogLevel): CarrierAuthLogger {
  return { level, log: (_level, message) => console.error(message) }
}

/**
 * Everything that hears a provider's events: the user's `onEvent`, the `logger` option and the
 * `CARRIER_AUTH_DEBUG` switch (read when the provider is built). Each is called on its own, so a
 * throwing listener silences neither the others nor the token.
 */
export function eventListeners(
  options: { onEvent?: EventListener | undefined; logger?: CarrierAuthLogger | undefined },
  secrets: readonly (string | undefined)[] = [],
): EventListener | undefined {
  const listeners: EventListener[] = []
  const debug = debugLevel()
  if (debug) listeners.push(loggingListener(stderrLogger(debug), secrets))
  if (options.logger) listeners.push(loggingListener(options.logger, secrets))
  if (options.onEvent) listeners.push(options.onEvent)
  if (listeners.length === 0) return undefined
  if (listeners.length === 1 && listeners[0] === options.onEvent) return options.onEvent
  return (event) => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch {
        // As in `emitter`: one broken listener must not silence the rest.
      }
    }
  }
}
