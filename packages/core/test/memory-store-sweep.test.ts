import { describe, expect, test } from 'vitest'
import { createManualClock, MemoryStore } from '../src/index.js'

describe('MemoryStore sweeps', () => {
  test('a burst of short-lived markers is swept out within the burst, before a minute has passed', async () => {
    const clock = createManualClock()
    const store = new MemoryStore({ clock })
    for (let i = 0; i < 10_000; i++) await store.setMarker(`burst-1-${i}`, 0, 1)
    clock.advance(2)
    for (let i = 0; i < 10_000; i++) await store.setMarker(`burst-2-${i}`, 1, 60_000)
    // The first burst expired and is gone; the second is live.
    expect(store.size.markers).toBe(10_000)
    expect(await store.getMarker('burst-2-0')).toBe(1)
  })

  test('live entries are never swept, however many writes', async () => {
    const clock = createManualClock()
    const store = new MemoryStore({ clock })
    for (let i = 0; i < 5000; i++) await store.setMarker(`live-${i}`, i, 60_000)
    for (let i = 0; i < 5000; i++) await store.setMarker(`live-${i}`, i + 1, 60_000)
    expect(store.size.markers).toBe(5000)
    expect(await store.getMarker('live-4999')).toBe(5000)
  })
})
