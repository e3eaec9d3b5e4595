import { createManualClock } from '../clock.js'
import type { StoreCheck } from './check.js'
import { entryChecks } from './checks-entries.js'
import { lockChecks } from './checks-lock.js'
import { markerChecks } from './checks-markers.js'
import { outageChecks } from './checks-outage.js'
import { notApplicable, type StoreSubject } from './subject.js'

/** Every check of the store contract, in the order the matrix shows them. */
export const storeChecks: readonly StoreCheck[] = [...entryChecks, ...markerChecks, ...lockChecks, ...outageChecks]

export type StoreCheckOutcome = 'pass' | 'fail' | 'n/a'

export interface StoreCheckResult {
  id: string
  title: string
  outcome: StoreCheckOutcome
  /** Why it failed, or why it does not apply. */
  reason?: string
}

/** One column of the store matrix. */
export interface StoreColumn {
  store: string
  results: StoreCheckResult[]
}

let run = 0

function resultOf(check: StoreCheck, failure: unknown, known: string | undefined): StoreCheckResult {
  const base = { id: check.id, title: check.title }
  if (failure === undefined) return { ...base, outcome: 'pass' }
  const message = failure instanceof Error ? failure.message : String(failure)
  return { ...base, outcome: 'fail', reason: known === undefined ? message : `${message} (known: ${known})` }
}

/** Runs one check on fresh handles of the subject and closes them; throws when the check fails. */
export async function runStoreCheck(subject: StoreSubject, check: StoreCheck): Promise<void> {
  const clock = createManualClock()
  const stores = await subject.open({ clock, handles: check.handles ?? 1 })
  const prefix = `contract-${Date.now().toString(36)}-${++run}-`
  try {
    await check.run({ subject, stores, clock, key: (name) => `${prefix}${check.id}:${name}` })
  } finally {
    await subject.close?.(stores)
  }
}

/** Runs every check on the subject, one after another, and reports each outcome. */
export async function runStoreContract(subject: StoreSubject, checks: readonly StoreCheck[] = storeChecks): Promise<StoreColumn> {
  const results: StoreCheckResult[] = []
  for (const check of checks) {
    const why = notApplicable(subject, check.needs)
    if (why !== undefined) {
      results.push({ id: check.id, title: check.title, outcome: 'n/a', reason: why })
      continue
    }
    let failure: unknown
    try {
      await runStoreCheck(subject, check)
    } catch (error) {
      failure = error
    }
    results.push(resultOf(check, failure, subject.knownDefects?.[check.id]))
  }
  return { store: subject.name, results }
}

/** The parts of a test framework the suite registers with (vitest, jest and node:test all fit). */
export interface TestHooks {
  describe(name: string, body: () => void): unknown
  test(name: string, body: () => Promise<void>, timeoutMs?: number): unknown
  afterAll?(body: () => unknown): unknown
}

/**
 * Registers one test per applicable check (n/a checks register none: they have nothing to run),
 * and hands the column (passes, failures, n/a with reasons) to `onColumn` after the last test.
 */
export function defineStoreContract(subject: StoreSubject, hooks: TestHooks, options: { onColumn?(column: StoreColumn): unknown; timeoutMs?: number } = {}): void {
  const results = new Map<string, StoreCheckResult>()
  hooks.describe(`store contract: ${subject.name}`, () => {
    for (const check of storeChecks) {
      const why = notApplicable(subject, check.needs)
      if (why !== undefined) {
        results.set(check.id, { id: check.id, title: check.title, outcome: 'n/a', reason: why })
        continue
      }
      const known = subject.knownDefects?.[check.id]
      hooks.test(
        known === undefined ? `${check.id}: ${check.title}` : `${check.id}: ${check.title} (known defect: ${known})`,
        async () => {
          let failure: unknown
          try {
            await runStoreCheck(subject, check)
          } catch (error) {
            failure = error
          }
          results.set(check.id, resultOf(check, failure, known))
          if (known === undefined && failure !== undefined) throw failure
          if (known !== undefined && failure === undefined) {
            throw new Error(`${subject.name} now passes ${check.id}: remove it from knownDefects`)
          }
        },
        options.timeoutMs ?? 60_000,
      )
    }
    hooks.afterAll?.(() => {
      const ran = storeChecks.flatMap((c) => results.get(c.id) ?? [])
      // Only a complete run is a column (a filtered run would show checks as missing).
      if (ran.length === storeChecks.length) return options.onColumn?.({ store: subject.name, results: ran })
    })
  })
}
