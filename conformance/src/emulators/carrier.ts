// The contract between the engine and a carrier's module lives in core (types only), so a carrier
// package can declare its emulator without depending on this engine: see core's carrier-module.ts.
export type {
  CarrierEmulation,
  EmulatedRequest as EmulatorRequest,
  EmulatorDefinition,
  EmulatorEnv,
  OperationHandler,
  TokenEndpointAnswers,
  TokenEndpointRules,
} from '@carrier-auth/core'
