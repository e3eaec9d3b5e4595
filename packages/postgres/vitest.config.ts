import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Checks once whether PostgreSQL answers, and says so in one line when it does not.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
  },
})
