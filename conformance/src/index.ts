export { carrierNames, startEmulator } from './emulators/index.js'
export type {
  AuthorizeParams,
  CarrierName,
  Clock,
  Emulator,
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorStats,
  Fault,
} from './emulators/index.js'
