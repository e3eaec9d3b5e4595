import { defineStoreContract } from '@carrier-auth/core/testing'
import { recordStoreColumn, serverStoreSubject } from '@carrier-auth/testing-stores'
import { afterAll, describe, inject, test } from 'vitest'
import { createPostgresStore, migrate } from '../src/index.js'
import { closedPort, quietPool, useSchema } from './support/postgres.js'

// The store contract on PostgreSQL: each handle with its own pool (as a fleet's processes), each
// check on its own table prefix in this file's schema.
const db = useSchema()
let tables = 0

const postgres = serverStoreSubject({
  name: 'PostgreSQL',
  async open(handles) {
    await db.ready()
    const table = `contract_${++tables}`
    await migrate(db.pool({ max: 1 }), { schema: db.schema, table })
    // The schema's pools are ended, and the schema dropped, after the file (useSchema).
    const stores = Array.from({ length: handles }, () => createPostgresStore({ pool: db.pool({ max: 4 }), schema: db.schema, table }))
    return { stores, close: async () => {} }
  },
  async unreachable() {
    const pool = quietPool({ port: await closedPort() })
    return { store: createPostgresStore({ pool, queryTimeoutMs: 200 }), close: () => pool.end() }
  },
})

const describeWithPostgres = describe.skipIf(!inject('postgresAvailable'))
defineStoreContract(postgres, { describe: describeWithPostgres, test, afterAll }, { onColumn: recordStoreColumn })
