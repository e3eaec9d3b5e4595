import { vi } from 'vitest'

// Setup file of the mutation run only (vitest.stryker.config.ts). That run shares one worker and
// one module graph between test files, and keeps it from one mutant to the next; `pnpm test` gives
// every file a process state of its own. This gives each file that state back before it starts:
// fresh module instances, and an empty process-wide account ledger of core (kept on globalThis).
vi.resetModules()
delete (globalThis as Record<symbol, unknown>)[Symbol.for('@carrier-auth/core.account-ledger.v1')]
