import type { TableNames } from './migration.js'

/** `$n` milliseconds from now, by the server's clock (every process of a fleet agrees on it). */
const fromNow = (n: number) => `clock_timestamp() + $${n}::bigint * interval '1 millisecond'`

/**
 * The store's SQL, one statement per operation, each atomic on its own (no transactions held
 * across round trips). Expiry is always by the server's clock.
 */
export function statements(t: TableNames) {
  const write = (condition: string) => `
    INSERT INTO ${t.tokens} AS t (key, version, fingerprint, data, sealed, expires_at, keep_until)
    VALUES ($1, 1, $2, $3, $4, ${fromNow(5)}, ${fromNow(6)})
    ON CONFLICT (key) DO UPDATE SET version = t.version + 1, fingerprint = EXCLUDED.fingerprint, data = EXCLUDED.data,
      sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at, keep_until = GREATEST(t.keep_until, EXCLUDED.keep_until)
    ${condition}
    RETURNING version`
  return {
    get: `SELECT version, data, sealed FROM ${t.tokens} WHERE key = $1 AND data IS NOT NULL AND expires_at > clock_timestamp()`,
    /** Unconditional write: the row's version grows by one (a deleted row keeps its version). */
    set: write(''),
    /** compareAndSet(0): writes only while no live entry is there. */
    setIfAbsent: write('WHERE t.data IS NULL OR t.expires_at <= clock_timestamp()'),
    /** compareAndSet(n): writes only while the live entry has version $7. */
    setIfVersion: `
      UPDATE ${t.tokens} SET version = version + 1, fingerprint = $2, data = $3, sealed = $4,
        expires_at = ${fromNow(5)}, keep_until = GREATEST(keep_until, ${fromNow(6)})
      WHERE key = $1 AND version = $7 AND data IS NOT NULL AND expires_at > clock_timestamp()
      RETURNING version`,
    /** Empties the entry, keeping the row and its version. */
    delete: `UPDATE ${t.tokens} SET data = NULL, fingerprint = NULL WHERE key = $1 AND data IS NOT NULL`,
    deleteIfToken: `UPDATE ${t.tokens} SET data = NULL, fingerprint = NULL WHERE key = $1 AND fingerprint = $2`,
    getMarker: `SELECT value FROM ${t.markers} WHERE key = $1 AND expires_at > clock_timestamp()`,
    setMarker: `
      INSERT INTO ${t.markers} (key, value, expires_at) VALUES ($1, $2, ${fromNow(3)})
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
    /**
     * Takes the lease when it is free or expired. Answers taken (1 or 0) and, when not taken, how
     * many ms the holder's lease has left (so a waiter wakes when a dead holder's lease runs out).
     */
    lock: `
      WITH taken AS (
        INSERT INTO ${t.locks} AS l (key, owner, expires_at) VALUES ($1, $2, ${fromNow(3)})
        ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE l.expires_at <= clock_timestamp()
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM taken)::int AS taken,
        (SELECT ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000) FROM ${t.locks} WHERE key = $1)::float8 AS left_ms`,
    /** Renews the lease only while it is still ours and has not run out. */
    extend: `UPDATE ${t.locks} SET expires_at = ${fromNow(3)} WHERE key = $1 AND owner = $2 AND expires_at > clock_timestamp() RETURNING 1`,
    unlock: `DELETE FROM ${t.locks} WHERE key = $1 AND owner = $2`,
    /** Expired data, spent rows and old leases; run by the store now and then (and by `cleanup()`). */
    cleanup: [
      `UPDATE ${t.tokens} SET data = NULL, fingerprint = NULL WHERE data IS NOT NULL AND expires_at <= clock_timestamp()`,
      `DELETE FROM ${t.tokens} WHERE keep_until <= clock_timestamp()`,
      `DELETE FROM ${t.markers} WHERE expires_at <= clock_timestamp()`,
      `DELETE FROM ${t.locks} WHERE expires_at <= clock_timestamp()`,
    ],
  }
}

export type Statements = ReturnType<typeof statements>
