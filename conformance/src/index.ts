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
export { carriers } from './carriers.js'
export type { CarrierUnderTest } from './carriers.js'
export { runConformanceCli } from './runner/main.js'
export { runMatrix } from './runner/run-matrix.js'
export type { CellResult } from './runner/cell.js'
export { catalogue } from './scenarios/index.js'
export type { Scenario, ScenarioContext } from './scenarios/index.js'
