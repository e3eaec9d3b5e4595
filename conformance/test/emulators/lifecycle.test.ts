import { createServer } from 'node:net'
import { expect, test } from 'vitest'
import { carrierNames, startEmulator } from '../../src/emulators/index.js'
import { fetchToken } from './support/carriers.js'
import { useEmulators } from './support/emulators.js'

const start = useEmulators()

test('listens on 127.0.0.1 only', async () => {
  const emulator = await start('posti')
  expect(new URL(emulator.url).hostname).toBe('127.0.0.1')
})

test('exposes the base URL the carrier factory takes, below which the spec paths live', async () => {
  const urls = await Promise.all(carrierNames.map(async (carrier) => {
    const emulator = await start(carrier)
    return [carrier, emulator.tokenUrl.slice(emulator.url.length), new URL(emulator.url).pathname] as const
  }))
  // The five this suite was written against; any other carrier's are its spec's.
  expect(urls).toEqual(expect.arrayContaining([
    ['posti', '/oauth/token', '/'],
    ['pitney-bowes', '/oauth/token', '/'],
    ['postfinance', '/auth/access-tokens', '/v2'],
    ['packly', '/v1/oauth2/token', '/'],
    ['dhl-ecommerce', '/auth/v4/accesstoken', '/'],
  ]))
})

test('listens on the given port', async () => {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as { port: number }).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  const emulator = await start('packly', { port })
  expect(emulator.url).toBe(`http://127.0.0.1:${port}`)
})

test('close() closes kept-alive connections, and a second close() resolves too', async () => {
  const emulator = await startEmulator('dhl-ecommerce')
  await fetchToken(emulator)
  await emulator.close()
  await emulator.close()
  await expect(fetch(emulator.tokenUrl, { method: 'POST' })).rejects.toThrow()
})

test('refuses an unknown carrier and a fractional lifetime', async () => {
  await expect(startEmulator('royal-mail' as never)).rejects.toThrow(TypeError)
  await expect(startEmulator('posti', { tokenTtlSeconds: 1.5 })).rejects.toThrow(RangeError)
})
