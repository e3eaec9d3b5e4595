// The fields of a token hash that are Redis's own (`fp`, `enc`); `data` is core's storedTokenCodec.
import { createHash } from 'node:crypto'

/**
 * A one-way fingerprint of an access token: lets Redis compare-and-delete an entry ("only while it
 * still holds this token") without the token itself, or its key, ever being needed in the script.
 */
export function fingerprint(accessToken: string): string {
  return createHash('sha256').update(`carrier-auth/redis\u0000${accessToken}`).digest('hex').slice(0, 32)
}

/** The `enc` field of a token hash: '1' for ciphertext, '' for plain JSON (as 0.1.0 wrote it). */
export const encFlag = (sealed: boolean): '' | '1' => (sealed ? '1' : '')
export const isSealed = (enc: unknown): boolean => enc === '1'
