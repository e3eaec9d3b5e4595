import { configDefaults, defineConfig, mergeConfig, type Plugin } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
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

// Slowest last, so that a mutant a quick test kills is done before the slow ones start (Stryker
// stops at the first failing test); vitest's own order is slowest first. The cluster contract
// starts a three-master Redis Cluster each time its file runs (3 s before its first check).
const SLOW_LAST = ['test/degrade.test.ts', 'test/lock.test.ts', 'test/store-contract.test.ts', 'test/store-contract-cluster.test.ts']

class SlowestLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (s: TestSpecification) => SLOW_LAST.findIndex((f) => s.moduleId.endsWith(f))
    return [...files].sort((a, b) => rank(a) - rank(b) || (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0))
  }
}

// Speed, as in packages/core/vitest.stryker.config.ts: one vitest worker shared from file to file
// and mutant to mutant (test/stryker-fresh-process.ts resets what a file would inherit), and a
// mutant that leaves a promise unsettled fails at 8 s instead of 20 s (the slowest test takes 3 s).
export const MUTANT_RUN = { isolate: false, setupFiles: ['test/stryker-fresh-process.ts'], testTimeout: 8_000, sequence: { sequencer: SlowestLast } }

export default mergeConfig(
  base,
  defineConfig({ plugins: [noStoreMatrixColumn], test: { exclude: [...configDefaults.exclude, ...LEFT_OUT], ...MUTANT_RUN } }),
)
