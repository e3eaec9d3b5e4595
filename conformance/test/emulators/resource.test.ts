import { describe, expect, test } from 'vitest'
import { carrierNames } from '../../src/emulators/index.js'
import { fetchToken } from './support/carriers.js'
import { call, manualClock, useEmulators } from './support/emulators.js'

const start = useEmulators()
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

describe.each(carrierNames)('%s test resource', (carrier) => {
  test('answers 200 {"ok":true} to a token this emulator issued', async () => {
    const emulator = await start(carrier)
    const res = await call(emulator.resourceUrl, bearer(await fetchToken(emulator)))
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ ok: true })
    expect(emulator.stats.resourceRequests).toBe(1)
  })

  test('answers 401 invalid_token to every token issued before revokeAccessTokens(), and not to later ones', async () => {
    const emulator = await start(carrier)
    const before = await fetchToken(emulator)
    emulator.revokeAccessTokens()
    const res = await call(emulator.resourceUrl, bearer(before))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    expect((await call(emulator.resourceUrl, bearer(await fetchToken(emulator)))).status).toBe(200)
  })

  test('answers 401 once the token has expired by the emulator clock', async () => {
    const clock = manualClock()
    const emulator = await start(carrier, { clock, tokenTtlSeconds: 60 })
    const token = await fetchToken(emulator)
    clock.advance(59_999)
    expect((await call(emulator.resourceUrl, bearer(token))).status).toBe(200)
    clock.advance(1)
    expect((await call(emulator.resourceUrl, bearer(token))).status).toBe(401)
  })

  test('answers 401 to a token another emulator issued, and to no token at all', async () => {
    const [emulator, stranger] = [await start(carrier), await start(carrier)]
    expect((await call(emulator.resourceUrl, bearer(await fetchToken(stranger)))).status).toBe(401)
    expect((await call(emulator.resourceUrl)).status).toBe(401)
    expect(emulator.stats.resourceRequests).toBe(2)
    expect(emulator.stats.tokenRequests).toBe(0)
  })
})
