import { carrierModules } from '../generated/carrier-modules.js'
import { specs } from '../generated/specs.js'
import type { EmulatorDefinition } from './carrier.js'
import { SpecValidator } from './spec-validator.js'
import type { CarrierName, EmulatorCredentials } from './types.js'

/** Every carrier, in name order: one carrier package each (scripts/carriers/generate.mjs). */
export const carrierNames = Object.keys(carrierModules) as CarrierName[]

/** A carrier's emulator, as its carrier module declares it. */
export function definitionOf<C extends CarrierName>(carrier: C): EmulatorDefinition<EmulatorCredentials[C]> | undefined {
  return Object.hasOwn(carrierModules, carrier) ? (carrierModules[carrier].emulator as unknown as EmulatorDefinition<EmulatorCredentials[C]>) : undefined
}

const validators = new Map<CarrierName, SpecValidator>()

/** One validator per carrier and process: compiling a spec's schemas is the slow part of a start. */
export function specValidator(carrier: CarrierName): SpecValidator {
  let validator = validators.get(carrier)
  if (!validator) {
    const spec = (specs as Record<string, unknown>)[carrier]
    if (!spec) throw new Error(`specs/${carrier}.yaml is missing: a carrier is its spec and its package`)
    validator = new SpecValidator(spec as Record<string, unknown>)
    validators.set(carrier, validator)
  }
  return validator
}
