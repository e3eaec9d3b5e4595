import { defineConfig } from 'vitest/config'

// The tests spawn the built binary and real emulators: give each a few seconds of headroom.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
