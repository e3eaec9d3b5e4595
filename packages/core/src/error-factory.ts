import { CarrierAuthError, type CarrierAuthErrorCode, type CarrierAuthErrorInit } from './errors.js'
import { messageFor, type MessageFacts } from './messages.js'

/** Where an error happened: enough to name the endpoint, nothing secret. */
export interface ErrorSite {
  carrier: string
  displayName: string
  environment: string | undefined
  host: string
}

export type ErrorFacts = Omit<MessageFacts, 'carrier' | 'environment' | 'host'>
type ErrorExtras = Pick<CarrierAuthErrorInit, 'response' | 'body' | 'cause'>

interface Recipe {
  site: ErrorSite
  code: CarrierAuthErrorCode
  facts: ErrorFacts
  extras: ErrorExtras
}

/** How each error of this copy of core was made, so it can be remade with its attempt count. */
const recipes = new WeakMap<CarrierAuthError, Recipe>()

/**
 * The one way core makes a CarrierAuthError: a code and facts in, the message from
 * `messageFor`, the data fields from the same facts. A message is never assembled by hand.
 */
export function authError(site: ErrorSite, code: CarrierAuthErrorCode, facts: ErrorFacts = {}, extras: ErrorExtras = {}): CarrierAuthError {
  const error = new CarrierAuthError(messageFor(code, { carrier: site.displayName, environment: site.environment, host: site.host, ...facts }), {
    code,
    carrier: site.carrier,
    environment: site.environment,
    status: facts.status,
    oauthError: facts.oauthError,
    retryAfterMs: facts.retryAfterMs,
    attempts: facts.attempts,
    ...extras,
  })
  recipes.set(error, { site, code, facts, extras })
  return error
}

/** The same error, made again with the number of attempts it took (so the message says it). */
export function withAttempts(error: CarrierAuthError, attempts: number): CarrierAuthError {
  const recipe = recipes.get(error)
  if (!recipe || recipe.facts.attempts === attempts) return error
  return authError(recipe.site, recipe.code, { ...recipe.facts, attempts }, recipe.extras)
}

/** An option the factory refuses: the message names the option and never repeats its value. */
export function configError(carrier: string, message: string, environment?: string | undefined): CarrierAuthError {
  return new CarrierAuthError(message, { code: 'invalid_config', carrier, environment })
}
