import { describe, expect, test } from 'vitest'
import { cacheKeysOf } from '../src/cache-key.js'
import { sha256Hex } from '../src/sha256.js'

/** Web Crypto's digest, the one cache keys were made with before they became synchronous. */
async function webCryptoHex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

describe('synchronous SHA-256', () => {
  test('gives Web Crypto’s digest for every length around the block edges, and for non-ASCII text', async () => {
    const inputs = ['', 'abc', ...[55, 56, 63, 64, 65, 119, 120, 1000].map((n) => 'x'.repeat(n)), 'pässwörd-€-😀'.repeat(20)]
    for (const text of inputs) expect(sha256Hex(text)).toBe(await webCryptoHex(text))
  })

  test('a long input after a short one is not confused by the reused buffer', async () => {
    sha256Hex('y'.repeat(5000))
    expect(sha256Hex('abc')).toBe(await webCryptoHex('abc'))
  })

  test('cache keys are the ones the Web Crypto version wrote, so stores written before are still read', async () => {
    const keys = cacheKeysOf({ carrier: 'posti', endpoint: 'https://gateway.posti.fi', clientId: 'merchant-1', scope: undefined, secret: 's3cret-value' })
    const secretHash = await webCryptoHex('carrier-auth\u0000merchant-1\u0000s3cret-value')
    expect(keys.token).toBe(`carrier-auth|posti|${encodeURIComponent('https://gateway.posti.fi')}|merchant-1||${secretHash.slice(0, 32)}`)
    expect(keys.id).toBe((await webCryptoHex(keys.token)).slice(0, 12))
    expect(keys.id).toHaveLength(12)
  })
})
