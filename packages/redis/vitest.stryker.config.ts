import { configDefaults, defineConfig, mergeConfig, type Plugin } from 'vitest/config'
import base from './vitest.config.js'

// The test run Stryker mutates against (`pnpm mutation`, stryker.config.json).
//
// Without a Redis every test here is skipped, and a mutation run would call each mutant
// "no coverage": under Stryker a missing Redis fails the run instead.
process.env.CARRIER_AUTH_REQUIRE_REDIS ??= '1'

// The cluster suite starts a six-node Redis Cluster per run of its file, which Stryker would repeat
// for every mutant it covers. It stays in `pnpm test`; its mutants are judged by the single-node suites.
export const LEFT_OUT = ['test/cluster.test.ts']

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
  defineConfig({ plugins: [noStoreMatrixColumn], test: { exclude: [...configDefaults.exclude, ...LEFT_OUT] } }),
)
