import { type StoredToken, toStored } from './access-token.js'

/** Seals a token's JSON before a store writes it (tokens at rest): your KMS, AES-GCM, … */
export type EncryptToken = (plaintext: string) => string | Promise<string>
/** Reverses `EncryptToken`. */
export type DecryptToken = (ciphertext: string) => string | Promise<string>

/** The store options that seal tokens at rest: both or neither. */
export interface TokenSealing {
  /** Encrypts a token's JSON before it is written (tokens at rest). Pass `decrypt` with it. */
  encrypt?: EncryptToken | undefined
  /** Reverses `encrypt`. A value it cannot read counts as absent (the next caller refetches). */
  decrypt?: DecryptToken | undefined
}

/** What a store writes for a token: the text, and whether it is ciphertext (a flag beside it). */
export interface EncodedToken {
  data: string
  sealed: boolean
}

/**
 * The one way a store turns a token into text and back, sealed with the user's `encrypt` /
 * `decrypt` when given. Reading is forgiving on purpose: a value sealed with another key, sealed
 * when this store has no `decrypt`, or of a foreign shape reads as absent, so the next caller
 * fetches a token and overwrites it instead of failing.
 */
export interface StoredTokenCodec {
  encode(token: StoredToken): Promise<EncodedToken>
  decode(data: string, sealed: boolean): Promise<StoredToken | undefined>
}

/**
 * The codec of a store built by `factory` (named in the error): throws a TypeError when only one
 * of `encrypt` and `decrypt` is given, since such a store could write what it cannot read.
 */
export function storedTokenCodec(factory: string, sealing: TokenSealing = {}): StoredTokenCodec {
  const { encrypt, decrypt } = sealing
  if ((encrypt === undefined) !== (decrypt === undefined)) {
    throw new TypeError(`${factory}: pass encrypt and decrypt together, or neither.`)
  }
  return {
    encode: (token) => encodeToken(token, encrypt),
    decode: (data, sealed) => decodeToken(data, sealed, decrypt),
  }
}

async function encodeToken(token: StoredToken, encrypt: EncryptToken | undefined): Promise<EncodedToken> {
  const json = JSON.stringify(toStored(token))
  if (!encrypt) return { data: json, sealed: false }
  const data = await encrypt(json)
  if (typeof data !== 'string') throw new TypeError('encrypt must return a string')
  return { data, sealed: true }
}

async function decodeToken(data: string, sealed: boolean, decrypt: DecryptToken | undefined): Promise<StoredToken | undefined> {
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
