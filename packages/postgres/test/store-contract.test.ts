import type { TokenStore } from '@carrier-auth/core'
import { defineStoreContract, type StoreSubject } from '@carrier-auth/core/testing'
import { recordStoreColumn } from '@carrier-auth/testing-stores'
import type pg from 'pg'
import { afterAll, describe, inject, test } from 'vitest'
import { createPostgresStore } from '../src/index.js'
import { closedPort, quietPool, useSchema } from './support/postgres.js'

// The store contract on PostgreSQL: each handle with its own pool (as a fleet's processes), each
// check on its own table prefix in this file's schema.
const db = useSchema()
const pools = new WeakMap<TokenStore, pg.Pool>()
let tables = 0

const postgres: StoreSubject = {
  name: 'PostgreSQL',
  async open({ handles }) {
    await db.ready()
    const table = `contract_${++tables}`
    const setup = db.pool({ max: 1 })
    const { migrate } = await import('../src/index.js')
    await migrate(setup, { schema: db.schema, table })
    return Array.from({ length: handles }, () => {
      const pool = db.pool({ max: 4 })
      const store = createPostgresStore({ pool, schema: db.schema, table })
      pools.set(store, pool)
      return store
    })
  },
  time: 'real',
  lock: true,
  lease: true,
  abortableLock: true,
  outage: {
    async open() {
      const pool = quietPool({ port: await closedPort() })
      const store = createPostgresStore({ pool, queryTimeoutMs: 200 })
      pools.set(store, pool)
      return store
    },
    async close(store) {
      await pools.get(store)?.end()
    },
    boundMs: 2000,
  },
}

const describeWithPostgres = describe.skipIf(!inject('postgresAvailable'))
defineStoreContract(postgres, { describe: describeWithPostgres, test, afterAll }, { onColumn: recordStoreColumn })
