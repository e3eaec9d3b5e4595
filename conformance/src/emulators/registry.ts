import { specs } from '../generated/specs.js'
import type { CarrierDefinition } from './carrier.js'
import { dhlEcommerce } from './dhl-ecommerce.js'
import { packly } from './packly.js'
import { pitneyBowes } from './pitney-bowes.js'
import { postfinance } from './postfinance.js'
import { posti } from './posti.js'
import { SpecValidator } from './spec-validator.js'
import type { CarrierName } from './types.js'

export const carrierNames: readonly CarrierName[] = ['posti', 'pitney-bowes', 'postfinance', 'packly', 'dhl-ecommerce']

export const definitions: { readonly [C in CarrierName]: CarrierDefinition<C> } = {
  posti,
  'pitney-bowes': pitneyBowes,
  postfinance,
  packly,
  'dhl-ecommerce': dhlEcommerce,
}

const validators = new Map<CarrierName, SpecValidator>()

/** One validator per carrier and process: compiling a spec's schemas is the slow part of a start. */
export function specValidator(carrier: CarrierName): SpecValidator {
  let validator = validators.get(carrier)
  if (!validator) {
    validator = new SpecValidator(specs[carrier] as unknown as Record<string, unknown>)
    validators.set(carrier, validator)
  }
  return validator
}
