// The row keys and token fingerprints of the tokens table; the `data` and `sealed` columns are
// core's storedTokenCodec.
import { createHash } from 'node:crypto'

/** A one-way fingerprint of an access token, for "delete only while it still holds this token". */
export function fingerprint(accessToken: string): string {
  return createHash('sha256').update(`carrier-auth/postgres\u0000${accessToken}`).digest('hex').slice(0, 32)
}

/** The row key of a cache key: core's keys hold a hash of the secret; hashing again keeps rows short. */
export function rowKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40)
}
