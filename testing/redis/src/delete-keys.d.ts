import type { Redis } from 'ioredis'

/** Deletes every key under a test's prefix (SCAN, never KEYS: the shared Redis may be large). */
export function deleteKeys(client: Pick<Redis, 'scan' | 'del'>, prefix: string): Promise<void>
