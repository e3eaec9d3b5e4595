import { configDefaults, defineConfig, mergeConfig, type Plugin } from 'vitest/config'
import base from './vitest.config.js'

// The test run Stryker mutates against (`pnpm mutation`, stryker.config.json).
//
// Stryker mutates src/ in a sandbox copy and measures which tests reach each mutant. These tests
// run the built dist/ in child processes instead, so no mutant can ever reach them: they stay in
// `pnpm test` and are left out here, where they would only add minutes to every mutant's run.
export const DIST_TESTS = [
  'test/builds.test.ts',
  'test/debug-log.test.ts',
  'test/file-store-processes.test.ts',
  'test/ledger/processes.test.ts',
]

// The store-contract suite records its column of the store matrix into the repo's cache. A run
// against a mutant must not overwrite that column, and from the sandbox the relative import
// would not resolve anyway: under Stryker the recorder is a no-op.
const noStoreMatrixColumn: Plugin = {
  name: 'stryker-no-store-matrix-column',
  enforce: 'pre',
  resolveId: (id) => (id.endsWith('/testing/stores/src/matrix-column.js') ? '\0stryker-matrix-column' : null),
  load: (id) => (id === '\0stryker-matrix-column' ? 'export function recordStoreColumn() {}' : null),
}

export default mergeConfig(
  base,
  defineConfig({ plugins: [noStoreMatrixColumn], test: { exclude: [...configDefaults.exclude, ...DIST_TESTS] } }),
)
