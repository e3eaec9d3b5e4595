import { defineConfig } from 'vitest/config'

// The dry runs are real child processes against real emulators, and one TypeScript program holds
// every README block: give them room on a loaded machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
})
