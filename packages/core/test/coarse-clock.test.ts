import { describe, expect, test } from 'vitest'
import { COARSE_MAX_READS, COARSE_TICK_MS, createCoarseClock, type IntervalTimers } from '../src/coarse-clock.js'

/** Interval timers driven by hand: `tick()` runs every running interval once. */
function manualTimers(options: { unref?: boolean } = {}) {
  const running = new Set<{ run: () => void; unrefed: boolean }>()
  const timers: IntervalTimers & { running: typeof running; tick(): void } = {
    running,
    setInterval(run) {
      const handle = { run, unrefed: false, unref: options.unref === false ? undefined : () => void (handle.unrefed = true) }
      running.add(handle)
      return handle
    },
    clearInterval(handle) {
      running.delete(handle as { run: () => void; unrefed: boolean })
    },
    tick() {
      for (const h of [...running]) h.run()
    },
  }
  return timers
}

describe('the coarse clock', () => {
  test('while its timer runs, a reading is never older than one tick', () => {
    let t = 1_000_000
    const timers = manualTimers()
    const clock = createCoarseClock(() => t, timers)!
    let oldest = 0
    for (let ms = 0; ms < 10_000; ms++) {
      t++
      if (ms % COARSE_TICK_MS === 0) timers.tick()
      oldest = Math.max(oldest, t - clock.now(), t - clock.now())
    }
    expect(oldest).toBeLessThan(COARSE_TICK_MS)
  })

  test('when no tick comes (a busy event loop), a reading is given out at most COARSE_MAX_READS times', () => {
    let t = 0
    let sourceReads = 0
    const clock = createCoarseClock(() => (sourceReads++, t), manualTimers())!
    let oldest = 0
    for (let i = 0; i < 10 * COARSE_MAX_READS; i++) {
      t++
      oldest = Math.max(oldest, t - clock.now())
    }
    expect(oldest).toBe(COARSE_MAX_READS - 1)
    expect(sourceReads).toBe(10)
  })

  test('its timer is unref’d, and stops after a tick in which nobody read the clock', () => {
    const timers = manualTimers()
    const clock = createCoarseClock(() => 0, timers)!
    expect(timers.running.size).toBe(0)
    clock.now()
    expect([...timers.running].map((h) => h.unrefed)).toEqual([true])
    timers.tick()
    expect(clock.ticking).toBe(true)
    timers.tick()
    expect(clock.ticking).toBe(false)
    expect(timers.running.size).toBe(0)
    clock.now()
    expect(timers.running.size).toBe(1)
  })

  test('on real timers, the handle keeps no process alive', () => {
    const handles: ReturnType<typeof setInterval>[] = []
    const clock = createCoarseClock(() => 0, {
      setInterval: (run, ms) => {
        const h = setInterval(run, ms)
        handles.push(h)
        return h
      },
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
    })!
    clock.now()
    expect(handles.map((h) => h.hasRef())).toEqual([false])
    clearInterval(handles[0])
  })

  test('where a timer has no unref, no timer is left running and every read reads the source', () => {
    let sourceReads = 0
    const timers = manualTimers({ unref: false })
    const clock = createCoarseClock(() => ++sourceReads, timers)!
    expect([clock.now(), clock.now(), clock.now()]).toEqual([1, 2, 3])
    expect(timers.running.size).toBe(0)
    expect(clock.ticking).toBe(false)
  })
})
