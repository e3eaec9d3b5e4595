import { createPostgresStore, migrate } from '@carrier-auth/postgres'
import { dropSchema, postgresMissing, quietPool, skipOrFailPostgres, startPostgresServer, uniqueSchema } from '@carrier-auth/testing-stores'
import { afterAll, describe, expect, it } from 'vitest'
import { expectHolderDeathCostsOneLease, expectOneRequestPerExpiry, expectOneRotationPerExpiry, expectServedWhenStoreDies, useFleet } from './harness.js'

// A fleet of real processes on the machine's PostgreSQL. Without one: ONE loud line and a skip, or a failure in CI.
const missing = await postgresMissing()
if (missing !== undefined) skipOrFailPostgres('the PostgreSQL fleet tests', missing)

describe.skipIf(missing !== undefined)('a fleet of processes sharing one PostgreSQL', () => {
  const admin = quietPool({ max: 2 })
  const fleet = useFleet()
  afterAll(() => admin.end())

  /** This test's own schema, migrated, dropped after it. */
  async function schema() {
    const name = uniqueSchema()
    await migrate(admin, { schema: name })
    fleet.cleanup(() => dropSchema(admin, name))
    return name
  }

  it('should make exactly one token request for 4 processes × 250 concurrent callers on a cold cache, and one more after expiry', async () => {
    await expectOneRequestPerExpiry(fleet, { keyPrefix: 'unused:', postgres: { schema: await schema() } })
  }, 60_000)

  it('should rotate a PostFinance refresh token once for the whole fleet, never sending one twice', async () => {
    const name = await schema()
    await expectOneRotationPerExpiry(fleet, { connectorStore: createPostgresStore({ pool: admin, schema: name }), store: { keyPrefix: 'unused:', postgres: { schema: name } }, rounds: 3 })
  }, 60_000)

  it('should not block the fleet past the lease when the lock holder is killed mid-request', async () => {
    const name = await schema()
    await expectHolderDeathCostsOneLease(fleet, {
      store: { keyPrefix: 'unused:', postgres: { schema: name } },
      // The provider's lock is a lease of min(5 s, 2 × (deadline + timeout) = 6 s) it renews while it works.
      provider: { timeoutMs: 1500, retry: { deadlineMs: 1500, maxAttempts: 1 } },
      // The token's lock, and (Posti locks accounts) the account ledger's lock its login holds meanwhile:
      // the others go on when the later of the two leases runs out.
      async leaseLeftMs() {
        const { rows } = await admin.query(
          `SELECT ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000)::int AS left_ms FROM "${name}"."carrier_auth_locks" ORDER BY expires_at DESC`,
        )
        expect(rows).toHaveLength(2)
        return rows[0].left_ms as number
      },
      earlyMs: 200,
      lateMs: 3000,
    })
  }, 60_000)

  it('should answer every getToken() when its own PostgreSQL is killed mid-run', async () => {
    const server = await startPostgresServer()
    fleet.cleanup(server.kill)
    const own = quietPool({ port: server.port, database: 'postgres', max: 1 })
    await migrate(own)
    await own.end()
    await expectServedWhenStoreDies(fleet, { store: { keyPrefix: 'unused:', postgres: { schema: 'public', port: server.port, database: 'postgres' } }, kill: server.kill })
  }, 60_000)
})
