import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createManualClock } from '../src/index.js'
import { startTokenServer, type TokenServer } from './support/token-server.js'
import { createTestAuth } from './support/test-profile.js'

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length

describe('callers with signals waiting on one token request', () => {
  let server: TokenServer
  beforeEach(async () => {
    // Every token answer takes 300 ms of real time: long enough for waits to start listening.
    server = await startTokenServer({ expiresIn: 3600, answerDelayMs: 300 })
  })
  afterEach(() => server.close())
  const auth = () => createTestAuth({ baseUrl: server.url, clock: createManualClock() })

  test('a wait adds no abort listener when it starts, and still gets the shared token', async () => {
    const a = auth()
    const signal = new AbortController().signal
    const waiting = a.getToken({ signal })
    expect(listeners(signal)).toBe(0)
    expect((await waiting).accessToken).toBe('tok-1')
  })

  test('a signal already aborted rejects its caller at once, as fetch does, and sends no request for it', async () => {
    const a = auth()
    const reason = new Error('caller gave up before asking')
    const caller = a.getToken({ signal: AbortSignal.abort(reason) })
    caller.catch(() => {})
    // "At once": settled within the microtasks of this turn, before any timer of the next one.
    const first = await Promise.race([caller.then(() => 'served', () => 'rejected'), new Promise((r) => setTimeout(r, 0, 'a timer'))])
    expect(first).toBe('rejected')
    await expect(caller).rejects.toBe(reason)
    expect(server.tokenRequests).toBe(0)
  })

  test('a wait that lasts listens, and its abort rejects only it while the request goes on', async () => {
    const a = auth()
    const controller = new AbortController()
    const aborted = a.getToken({ signal: controller.signal })
    const other = a.getToken({ signal: new AbortController().signal })
    await vi.waitFor(() => expect(listeners(controller.signal)).toBe(1))
    controller.abort(new Error('caller gave up'))
    await expect(aborted).rejects.toThrow('caller gave up')
    expect((await other).accessToken).toBe('tok-1')
    expect(server.tokenRequests).toBe(1)
  })

  test('an abort early in a wait is seen before the shared request settles', async () => {
    const a = auth()
    const controller = new AbortController()
    const aborted = a.getToken({ signal: controller.signal })
    let othersServed = false
    const other = a.getToken().then(() => (othersServed = true))
    controller.abort(new Error('caller gave up'))
    await expect(aborted).rejects.toThrow('caller gave up')
    expect(othersServed).toBe(false)
    await other
  })

  test('an abort before the wait listens rejects that caller with its reason, not with the token', async () => {
    const a = auth()
    const controller = new AbortController()
    const aborted = a.getToken({ signal: controller.signal })
    controller.abort(new Error('caller gave up'))
    const other = a.getToken()
    await expect(aborted).rejects.toThrow('caller gave up')
    expect((await other).accessToken).toBe('tok-1')
  })

  test('a signal shared by many waits has no listener left once the request settles', async () => {
    const a = auth()
    const signal = new AbortController().signal
    const waits = Array.from({ length: 100 }, () => a.getToken({ signal }))
    await vi.waitFor(() => expect(listeners(signal)).toBe(100))
    await Promise.all(waits)
    expect(listeners(signal)).toBe(0)
  })
})
