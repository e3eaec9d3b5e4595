import type { StoredToken } from '../access-token.js'
import type { Holder } from './file-mutex.js'

/** A lock lease on one key, held by one `lock()` call of one process until `expiresAt`. */
export interface Lease extends Holder {
  expiresAt: number
}

/** The token file. Fields added after version 1 are optional, so older readers still read it. */
export interface FileShape {
  version: 1
  tokens: Record<string, { token: StoredToken; version: number; expiresAt: number }>
  markers: Record<string, { value: number; expiresAt: number }>
  /** The last version of entries that expired or were deleted: versions never repeat (no ABA). */
  versions?: Record<string, number>
  /** Lock leases by key. */
  leases?: Record<string, Lease>
}

export const emptyFile = (): FileShape => ({ version: 1, tokens: {}, markers: {} })

/** The file's contents; a file of another format (or none) reads as empty. */
export function parseFile(text: string | undefined): FileShape {
  if (text === undefined) return emptyFile()
  const parsed = JSON.parse(text) as FileShape
  if (!parsed || parsed.version !== 1 || typeof parsed.tokens !== 'object' || typeof parsed.markers !== 'object') return emptyFile()
  return parsed
}

/** The highest version the key ever had, live, expired or deleted. */
export function lastVersion(data: FileShape, key: string): number {
  return Math.max(data.tokens[key]?.version ?? 0, data.versions?.[key] ?? 0)
}

/** Drops what has expired (keeping each dropped entry's version), so the file does not grow forever. */
export function prune(data: FileShape, now: number): void {
  for (const [key, slot] of Object.entries(data.tokens)) {
    if (slot.expiresAt > now) continue
    ;(data.versions ??= {})[key] = slot.version
    delete data.tokens[key]
  }
  for (const [key, slot] of Object.entries(data.markers)) if (slot.expiresAt <= now) delete data.markers[key]
  for (const [key, lease] of Object.entries(data.leases ?? {})) if (lease.expiresAt <= now) delete data.leases![key]
}
