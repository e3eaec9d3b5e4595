import { describe, expect, test } from 'vitest'
import { wires } from './support/carriers.js'
import { call, useEmulators } from './support/emulators.js'

const start = useEmulators()

describe('RFC 6749 §5.1/§5.2 headers where the carrier claims the standard', () => {
  test.each(['posti', 'packly', 'postfinance'] as const)('%s: a token answer carries Cache-Control: no-store and Pragma: no-cache', async (carrier) => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, wires[carrier].request(emulator, { ...emulator.credentials }))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('pragma')).toBe('no-cache')
  })

  test.each(['posti', 'packly'] as const)('%s: a 401 after Basic carries WWW-Authenticate: Basic', async (carrier) => {
    const emulator = await start(carrier)
    const wire = wires[carrier]
    const res = await call(emulator.tokenUrl, wire.request(emulator, { ...emulator.credentials, [wire.secretField]: 'wrong' }))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(`Basic realm="${carrier}"`)
  })

  test.each(['pitney-bowes', 'dhl-ecommerce'] as const)('%s: claims no standard, so its answers carry neither', async (carrier) => {
    const emulator = await start(carrier)
    const res = await call(emulator.tokenUrl, wires[carrier].request(emulator, { ...emulator.credentials }))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBeNull()
  })
})
