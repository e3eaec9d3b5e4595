import type { CarrierUnderTest } from '../carriers.js'
import type { Scenario } from '../scenarios/index.js'
import { releaseFleetStores } from '../scenarios/fleet-stores.js'
import { type CellResult, runCell, type Target } from './cell.js'

export interface MatrixOptions {
  carriers: readonly CarrierUnderTest[]
  scenarios: readonly Scenario[]
  live: boolean
  env?: Record<string, string | undefined>
  onResult?(result: CellResult): void
}

/** `--live` target for a carrier: its credentials from the environment, or none. */
export function liveTarget(carrier: CarrierUnderTest, env: Record<string, string | undefined>): Target {
  const credentials: Record<string, string> = {}
  let baseUrl: string | undefined
  for (const [field, variable] of Object.entries(carrier.live.variables)) {
    const value = env[variable]
    if (field === 'baseUrl') baseUrl = value
    else if (value) credentials[field] = value
    else if (!carrier.optionalCredentials.includes(field)) return { kind: 'live', credentials: undefined, environment: carrier.live.environment }
  }
  return { kind: 'live', credentials, environment: carrier.live.environment, baseUrl }
}

/** Runs every scenario against every carrier, one cell at a time (cells share nothing but a store's server). */
export async function runMatrix(options: MatrixOptions): Promise<CellResult[]> {
  const results: CellResult[] = []
  try {
    for (const carrier of options.carriers) {
      const target: Target = options.live ? liveTarget(carrier, options.env ?? {}) : { kind: 'emulator' }
      for (const scenario of options.scenarios) {
        const result = await runCell(scenario, carrier, target)
        results.push(result)
        options.onResult?.(result)
      }
    }
  } finally {
    // A store axis may share a server of its own across the matrix's cells (the Redis Cluster).
    await releaseFleetStores()
  }
  return results
}
