import { inspect } from 'node:util'

/** Every way a value could reach a log: String, JSON, util.inspect (deep), and an error's message and stack. */
export function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 8, showHidden: false, getters: false })]
  try {
    out.push(JSON.stringify(value) ?? '')
  } catch {
    // Cyclic values cannot be logged as JSON either.
  }
  try {
    out.push(String(value))
  } catch {
    // Objects without a string form.
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? '')
  return out
}

/** The secrets that appear in any rendering of any value, described without the secret itself. */
export function findLeaks(values: readonly unknown[], secrets: readonly string[]): string[] {
  const needles = secrets.filter((s) => s.length >= 8)
  const leaks = new Set<string>()
  for (const value of values) {
    for (const text of renderings(value)) {
      for (const needle of needles) {
        if (text.includes(needle)) leaks.add(`a secret or token (${needle.length} chars) in ${describe(value)}`)
      }
    }
  }
  return [...leaks]
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name} "${value.message.slice(0, 40)}…"`
  if (value && typeof value === 'object' && 'type' in value) return `event ${String((value as { type: unknown }).type)}`
  return typeof value
}
