import type { CarrierAuthEvent } from '@carrier-auth/core'
import type { Context } from './command.js'

/**
 * Core's events, as stderr lines a person at a terminal wants: why the command is slow (a retry)
 * and why the next one will be too (a token file that cannot be used). Events carry no secret.
 */
export function reportEvents(context: Context, storePath: string): (event: CarrierAuthEvent) => void {
  let warnedStore = false
  return (event) => {
    if (event.type === 'retry_scheduled') {
      const status = event.status === undefined ? '' : `HTTP ${event.status}, `
      context.err(`carrier-auth: ${event.carrier} failed (${status}${event.code}); attempt ${event.attempt + 1} in ${(event.delayMs / 1000).toFixed(1)} s`)
    }
    if (event.type === 'store_unavailable' && !warnedStore) {
      warnedStore = true
      const reason = event.error instanceof Error ? event.error.message : String(event.error)
      context.err(`carrier-auth: warning: the token file ${storePath} is not usable (${reason}); tokens and cooldowns are not kept between runs. Fix it or choose another with --store.`)
    }
  }
}
