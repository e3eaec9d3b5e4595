import { describe, expect, test } from 'vitest'
import { type StoredToken, storedTokenCodec } from '../src/index.js'

const TOKEN: StoredToken = { accessToken: 'at-codec', expiresAt: 4102444800000, issuedAt: 1767225600000, scope: 'shipping', refreshToken: 'rt-codec' }
/** A reversible stand-in for a real cipher: what matters here is that the codec calls it. */
const sealing = {
  encrypt: (plaintext: string) => `sealed:${Buffer.from(plaintext).toString('base64')}`,
  decrypt: (ciphertext: string) => {
    if (!ciphertext.startsWith('sealed:')) throw new Error('not ours')
    return Buffer.from(ciphertext.slice('sealed:'.length), 'base64').toString()
  },
}

describe('storedTokenCodec', () => {
  test('without sealing a token is written as its JSON in a stable field order', async () => {
    const encoded = await storedTokenCodec('test').encode({ refreshToken: 'rt-codec', scope: 'shipping', issuedAt: 1767225600000, expiresAt: 4102444800000, accessToken: 'at-codec' })
    expect(encoded).toEqual({
      data: '{"accessToken":"at-codec","expiresAt":4102444800000,"issuedAt":1767225600000,"scope":"shipping","refreshToken":"rt-codec"}',
      sealed: false,
    })
  })

  test('a plain value reads back as the token it was written from', async () => {
    const codec = storedTokenCodec('test')
    const { data } = await codec.encode(TOKEN)
    expect(await codec.decode(data, false)).toEqual(TOKEN)
  })

  test('with sealing only ciphertext is written, flagged sealed, and it reads back', async () => {
    const codec = storedTokenCodec('test', sealing)
    const encoded = await codec.encode(TOKEN)
    expect(encoded.sealed).toBe(true)
    expect(encoded.data).not.toContain('at-codec')
    expect(encoded.data).not.toContain('rt-codec')
    expect(await codec.decode(encoded.data, true)).toEqual(TOKEN)
  })

  test('a sealed value reads as absent to a store without decrypt', async () => {
    const { data } = await storedTokenCodec('test', sealing).encode(TOKEN)
    expect(await storedTokenCodec('test').decode(data, true)).toBeUndefined()
  })

  test('a value decrypt throws on (sealed with another key) reads as absent', async () => {
    expect(await storedTokenCodec('test', sealing).decode('sealed-by-someone-else', true)).toBeUndefined()
  })

  test('a store with sealing still reads the plain values written before it had sealing', async () => {
    const { data } = await storedTokenCodec('test').encode(TOKEN)
    expect(await storedTokenCodec('test', sealing).decode(data, false)).toEqual(TOKEN)
  })

  test.each([
    ['not JSON', '{"accessToken":'],
    ['JSON null', 'null'],
    ['a JSON string', '"at-codec"'],
    ['no access token', '{"expiresAt":1,"issuedAt":1}'],
    ['an expiry that is not a number', '{"accessToken":"a","expiresAt":"soon","issuedAt":1}'],
    ['no issue time', '{"accessToken":"a","expiresAt":1}'],
  ])('a foreign value (%s) reads as absent', async (_, data) => {
    expect(await storedTokenCodec('test').decode(data, false)).toBeUndefined()
  })

  test('fields a token does not have are dropped, and optional ones of the wrong type too', async () => {
    const data = '{"accessToken":"a","expiresAt":2,"issuedAt":1,"scope":7,"refreshToken":null,"extra":"x"}'
    expect(await storedTokenCodec('test').decode(data, false)).toEqual({ accessToken: 'a', expiresAt: 2, issuedAt: 1 })
  })

  test('encrypt without decrypt is refused, naming the store factory', () => {
    expect(() => storedTokenCodec('createExampleStore', { encrypt: sealing.encrypt })).toThrow('createExampleStore: pass encrypt and decrypt together, or neither.')
    expect(() => storedTokenCodec('createExampleStore', { decrypt: sealing.decrypt })).toThrow(TypeError)
  })

  test('an encrypt that returns something other than a string fails the write', async () => {
    const codec = storedTokenCodec('test', { encrypt: () => 42 as never, decrypt: sealing.decrypt })
    await expect(codec.encode(TOKEN)).rejects.toThrow('encrypt must return a string')
  })
})
