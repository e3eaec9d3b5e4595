import { vi } from 'vitest'

// Setup file of the mutation run only (vitest.stryker.config.ts). That run shares one worker and
// one module graph between test files, and keeps it from one mutant to the next; `pnpm test` gives
// every file a process state of its own. This gives each file that state back before it starts:
// fresh instances of src/ modules (module-level state such as the ledger's sweep time) and an
// empty process-wide account ledger (kept on globalThis, shared by every copy of core). Without it
// a cooldown one file's test leaves in the ledger would fail a test of another file, and kill, or
// save, a mutant that test never judged.
vi.resetModules()
delete (globalThis as Record<symbol, unknown>)[Symbol.for('@carrier-auth/core.account-ledger.v1')]
