export { startEmulator } from './emulator.js'
export { carrierNames } from './registry.js'
export type {
  AuthorizeParams,
  BasicCredentialsMode,
  CarrierName,
  Clock,
  Emulator,
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorRequestLog,
  EmulatorStats,
  Fault,
  HostileTokenVariant,
} from './types.js'
