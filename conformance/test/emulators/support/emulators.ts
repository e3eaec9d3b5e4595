import { afterAll, afterEach, expect } from 'vitest'
import { startEmulator, type CarrierName, type Emulator, type EmulatorOptions } from '../../../src/emulators/index.js'

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 15, 9, 30, 0)) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

/**
 * Starts emulators for one test file: each is closed after its test, and after the whole file no
 * emulator may have sent a response that breaks its spec.
 */
export function useEmulators() {
  const running: Emulator[] = []
  const violations: string[] = []
  afterEach(async () => {
    for (const emulator of running.splice(0)) {
      violations.push(...emulator.responseViolations.map((v) => `${emulator.carrier}: ${v}`))
      await emulator.close()
    }
  })
  afterAll(() => {
    expect(violations).toEqual([])
  })
  return async function start<C extends CarrierName>(carrier: C, options?: EmulatorOptions<C>): Promise<Emulator<C>> {
    const emulator = await startEmulator(carrier, options)
    running.push(emulator)
    return emulator
  }
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

export const FORM = 'application/x-www-form-urlencoded'

/** Sends a request and reads the whole answer. */
export async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init)
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> }
}
