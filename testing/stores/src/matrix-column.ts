import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where each store-contract test file leaves its column; `node scripts/store-matrix.mjs` reads them. */
export const STORE_MATRIX_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../node_modules/.cache/carrier-auth/store-matrix')

/** Writes one store's column of the store × check matrix (the last complete run of its suite). */
export function recordStoreColumn(column: { store: string; results: unknown[] }): void {
  mkdirSync(STORE_MATRIX_DIR, { recursive: true })
  const file = `${column.store.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.json`
  writeFileSync(join(STORE_MATRIX_DIR, file), `${JSON.stringify({ ...column, ranAt: new Date().toISOString() }, null, 2)}\n`)
}
