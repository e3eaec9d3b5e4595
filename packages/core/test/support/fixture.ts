import { afterEach, beforeEach } from 'vitest'
import { createManualClock, type ManualClock } from '../../src/index.js'
import { recordEvents } from './events.js'
import { startTokenServer, type TokenServer } from './token-server.js'

/** A fresh token server, manual clock and event recorder per test. */
export function useFixture(options: { expiresIn?: number } = { expiresIn: 3600 }) {
  const f = {} as { server: TokenServer; clock: ManualClock; ev: ReturnType<typeof recordEvents> }
  beforeEach(async () => {
    f.server = await startTokenServer(options)
    f.clock = createManualClock()
    f.ev = recordEvents()
  })
  afterEach(async () => {
    await f.server.close()
  })
  return f
}
