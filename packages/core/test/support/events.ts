import type { CarrierAuthEvent, CarrierAuthEventType } from '../../src/index.js'

/** Records events and lets a test await one (background work has no promise to await). */
export function recordEvents() {
  const events: CarrierAuthEvent[] = []
  const waiters: { type: CarrierAuthEventType; resolve: (e: CarrierAuthEvent) => void }[] = []
  return {
    events,
    onEvent(event: CarrierAuthEvent) {
      events.push(event)
      for (const w of waiters.splice(0)) {
        if (w.type === event.type) w.resolve(event)
        else waiters.push(w)
      }
    },
    next<T extends CarrierAuthEventType>(type: T): Promise<Extract<CarrierAuthEvent, { type: T }>> {
      return new Promise((resolve) => waiters.push({ type, resolve: resolve as (e: CarrierAuthEvent) => void }))
    },
    of<T extends CarrierAuthEventType>(type: T): Extract<CarrierAuthEvent, { type: T }>[] {
      return events.filter((e) => e.type === type) as Extract<CarrierAuthEvent, { type: T }>[]
    },
  }
}
