import { configDefaults, defineConfig, mergeConfig, type Plugin } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import base from './vitest.config.js'

// The test run Stryker mutates against (`pnpm mutation`, stryker.config.json).
//
// Stryker mutates src/ in a sandbox copy and measures which tests reach each mutant; a mutant is
// run against those tests only. These tests run only the built dist/, in child processes, so no
// mutant can ever reach them: they stay in `pnpm test` and are left out of the initial run here.
// (test/debug-log.test.ts starts processes too, but most of it tests src/ in this process: it stays.)
export const DIST_TESTS = ['test/builds.test.ts', 'test/file-store-processes.test.ts', 'test/ledger/processes.test.ts']

// Left out for time, listed with what they alone pin down in reports/mutation/survivors.md
// ("Tests the mutation run leaves out"). Each reaches nearly every mutant of the provider path and
// takes seconds of real time (2,000 HTTP token requests and 100k providers; 100 accounts through
// the request cap), so every surviving mutant there paid 6 s for them: most of a full run's hours.
// Leaving a test out can only lower the score, never raise it.
export const SLOW_TESTS = ['test/bounded-memory.test.ts', 'test/no-herd.test.ts']

// Slowest last, so that a mutant a quick test kills is done before the slow ones start (Stryker
// stops at the first failing test). Vitest's own order is the opposite: slowest first.
const SLOW_LAST = ['test/ledger/many-accounts.test.ts', 'test/ledger/unknown-outcome.test.ts', 'test/request-contexts.test.ts', 'test/store-contract.test.ts']

class SlowestLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (s: TestSpecification) => SLOW_LAST.findIndex((f) => s.moduleId.endsWith(f))
    return [...files].sort((a, b) => rank(a) - rank(b) || (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0))
  }
}

// The store-contract suite records its column of the store matrix into the repo's cache. A run
// against a mutant must not overwrite that column, and from the sandbox the relative import
// would not resolve anyway: under Stryker the recorder is a no-op.
const noStoreMatrixColumn: Plugin = {
  name: 'stryker-no-store-matrix-column',
  enforce: 'pre',
  resolveId: (id) => (id.endsWith('/testing/stores/src/matrix-column.js') ? '\0stryker-matrix-column' : null),
  load: (id) => (id === '\0stryker-matrix-column' ? 'export function recordStoreColumn() {}' : null),
}

// Speed. Stryker runs a mutant's covering tests in one vitest worker that it reuses from mutant to
// mutant. With a fresh worker per test file (`isolate`, vitest's default) retry.ts's 79 mutants took
// 3 min 16 s after a 36 s initial run; sharing the worker, 66 s after 16 s, the same 66 killed,
// 2 timed out and 11 survived. What a file would then inherit from the files before it (module
// state, the process-wide account ledger) test/stryker/fresh-process.ts resets before each file.
// A mutant that leaves an awaited promise unsettled fails its test at testTimeout: 30 s (for the
// child-process tests of `pnpm test`) would make each such mutant cost 30 s. The slowest test here
// without a timeout of its own takes 3 s on a loaded machine.
export const MUTANT_RUN = { isolate: false, setupFiles: ['test/stryker/fresh-process.ts'], testTimeout: 8_000, sequence: { sequencer: SlowestLast } }

export default mergeConfig(
  base,
  defineConfig({ plugins: [noStoreMatrixColumn], test: { exclude: [...configDefaults.exclude, ...DIST_TESTS, ...SLOW_TESTS], ...MUTANT_RUN } }),
)
