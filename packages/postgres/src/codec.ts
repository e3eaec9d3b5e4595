import { createHash } from 'node:crypto'
import { type StoredToken, toStored } from '@carrier-auth/core'

export type Encrypt = (plaintext: string) => string | Promise<string>
export type Decrypt = (ciphertext: string) => string | Promise<string>

/** A one-way fingerprint of an access token, for "delete only while it still holds this token". */
export function fingerprint(accessToken: string): string {
  return createHash('sha256').update(`carrier-auth/postgres\u0000${accessToken}`).digest('hex').slice(0, 32)
}

/** The row key of a cache key: core's keys hold a hash of the secret; hashing again keeps rows short. */
export function rowKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40)
}

export async function encode(token: StoredToken, encrypt: Encrypt | undefined): Promise<{ data: string; sealed: boolean }> {
  const json = JSON.stringify(toStored(token))
  if (!encrypt) return { data: json, sealed: false }
  const data = await encrypt(json)
  if (typeof data !== 'string') throw new TypeError('encrypt must return a string')
  return { data, sealed: true }
}

/** Reads a stored value back; undefined when it cannot be read (sealed without decrypt, a foreign format). */
export async function decode(data: string, sealed: boolean, decrypt: Decrypt | undefined): Promise<StoredToken | undefined> {
  let json = data
  if (sealed) {
    if (!decrypt) return undefined
    try {
      json = await decrypt(data)
    } catch {
      return undefined
    }
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.accessToken !== 'string' || typeof v.expiresAt !== 'number' || typeof v.issuedAt !== 'number') return undefined
  return toStored({
    accessToken: v.accessToken,
    expiresAt: v.expiresAt,
    issuedAt: v.issuedAt,
    ...(typeof v.scope === 'string' ? { scope: v.scope } : {}),
    ...(typeof v.refreshToken === 'string' ? { refreshToken: v.refreshToken } : {}),
  })
}
