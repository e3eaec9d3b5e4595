import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { createPostgresStore } from '../src/index.js'
import { describeWithPostgres, useSchema } from './support/postgres.js'
import { startTokenServer, testAuth } from '@carrier-auth/testing-token-server'

const HOUR = 3_600_000
const token = (accessToken: string) => ({ accessToken, expiresAt: Date.now() + HOUR, issuedAt: Date.now(), refreshToken: `${accessToken}-refresh` })

/** What the tables hold, as text: to look for secrets and tokens in them. */
async function everyRow(pool: ReturnType<ReturnType<typeof useSchema>['pool']>, schema: string): Promise<string> {
  const parts: string[] = []
  for (const table of ['carrier_auth_tokens', 'carrier_auth_markers', 'carrier_auth_locks']) {
    const { rows } = await pool.query(`SELECT * FROM "${schema}"."${table}"`)
    parts.push(JSON.stringify(rows))
  }
  return parts.join('\n')
}

describeWithPostgres('what the PostgreSQL store writes', () => {
  const db = useSchema()

  it('should never write the client secret, and write no key in clear', async () => {
    await db.ready()
    const pool = db.pool()
    const endpoint = await startTokenServer()
    try {
      const auth = testAuth(endpoint, { store: createPostgresStore({ pool, schema: db.schema }) })
      await auth.getToken()
      const rows = await everyRow(pool, db.schema)
      expect(rows).toContain('"version"')
      expect(rows).not.toContain(endpoint.credentials.clientSecret)
      expect(rows).not.toContain(endpoint.credentials.clientId)
    } finally {
      await endpoint.close()
    }
  })

  it('should seal tokens with encrypt/decrypt: no token in the rows, and the store reads them back', async () => {
    await db.ready()
    const pool = db.pool()
    const key = randomBytes(32)
    const encrypt = (plain: string) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
    }
    const decrypt = (sealed: string) => {
      const raw = Buffer.from(sealed, 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    }
    const store = createPostgresStore({ pool, schema: db.schema, encrypt, decrypt })
    const written = token(`sealed-${randomBytes(8).toString('hex')}`)
    await store.set('sealed', written, HOUR)
    expect((await store.get('sealed'))?.token).toEqual(written)
    const rows = await everyRow(pool, db.schema)
    expect(rows).not.toContain(written.accessToken)
    // A store without the key cannot read it, and says absent rather than failing.
    expect(await createPostgresStore({ pool, schema: db.schema }).get('sealed')).toBeUndefined()
  })

  it('should empty expired entries and delete spent markers and leases on cleanup(), keeping the versions', async () => {
    await db.ready()
    const pool = db.pool()
    const store = createPostgresStore({ pool, schema: db.schema, table: 'carrier_auth' })
    const version = await store.set('expiring', token('expiring-token'), HOUR)
    await store.setMarker('expiring', 1, HOUR)
    await store.lock('expiring', HOUR)
    // The server's clock decides expiry: an hour "passes" by moving the rows' expiry back an hour.
    for (const table of ['tokens', 'markers', 'locks']) {
      await pool.query(`UPDATE "${db.schema}"."carrier_auth_${table}" SET expires_at = expires_at - interval '2 hours'`)
    }
    await store.cleanup()
    const rows = await everyRow(pool, db.schema)
    expect(rows).not.toContain('expiring-token')
    const { rows: markers } = await pool.query(`SELECT count(*)::int AS n FROM "${db.schema}"."carrier_auth_markers" WHERE expires_at <= clock_timestamp()`)
    expect(markers[0].n).toBe(0)
    const { rows: locks } = await pool.query(`SELECT count(*)::int AS n FROM "${db.schema}"."carrier_auth_locks"`)
    expect(locks[0].n).toBe(0)
    expect(await store.set('expiring', token('after-cleanup'), HOUR)).toBe(version + 1)
  })

  it('should delete a row 30 days after its last write, and only then start its versions again', async () => {
    await db.ready()
    const pool = db.pool()
    const store = createPostgresStore({ pool, schema: db.schema })
    await store.set('spent', token('spent-token'), HOUR)
    expect(await store.set('spent', token('spent-token-2'), HOUR)).toBe(2)
    await pool.query(`UPDATE "${db.schema}"."carrier_auth_tokens" SET expires_at = expires_at - interval '31 days', keep_until = keep_until - interval '31 days'`)
    await store.cleanup()
    expect(await store.set('spent', token('spent-token-3'), HOUR)).toBe(1)
  })
})
