import { carriers, type CarrierName, type Emulator, startEmulator } from '@carrier-auth/conformance'
import { type CarrierAuthOptions, type CommonOptions, createManualClock, type ManualClock } from '@carrier-auth/core'
import { afterEach, beforeEach } from 'vitest'
import { carrierAuthTelemetry } from '../../src/index.js'
import { createTelemetrySdk, type TelemetrySdk } from './telemetry.js'

/**
 * Per test: a real emulator of one carrier on 127.0.0.1, a manual clock it shares with the
 * provider, and the real OpenTelemetry SDK. `auth()` builds the carrier package's provider with
 * the telemetry listener; retries wait 0 ms on the manual clock.
 */
export function useTelemetryFixture(carrier: CarrierName = 'pitney-bowes') {
  const f = {} as { emulator: Emulator; clock: ManualClock; sdk: TelemetrySdk }
  const underTest = carriers.find((c) => c.name === carrier)!
  beforeEach(async () => {
    f.clock = createManualClock()
    f.emulator = await startEmulator(carrier, { clock: f.clock })
    f.sdk = createTelemetrySdk()
  })
  afterEach(async () => {
    await f.emulator.close()
    await f.sdk.shutdown()
  })
  return Object.assign(f, {
    secretField: underTest.secretField,
    auth(options: CommonOptions & { credentials?: Record<string, string> } = {}) {
      const { credentials, ...rest } = options
      return underTest.create({ ...(f.emulator.credentials as Record<string, string>), ...credentials }, {
        baseUrl: f.emulator.url,
        clock: f.clock,
        retry: { random: () => 0 },
        onEvent: carrierAuthTelemetry({ meterProvider: f.sdk.meterProvider, tracerProvider: f.sdk.tracerProvider }),
        ...rest,
      } as CarrierAuthOptions)
    },
  })
}
