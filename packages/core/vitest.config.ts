import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child-process tests start Node several times; a loaded 2-core CI machine needs the room.
    testTimeout: 30_000,
  },
})
