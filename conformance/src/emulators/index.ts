export { startEmulator } from './emulator.js'
export { carrierNames } from './registry.js'
export type {
  AuthorizeParams,
  CarrierName,
  Clock,
  Emulator,
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorStats,
  Fault,
} from './types.js'
