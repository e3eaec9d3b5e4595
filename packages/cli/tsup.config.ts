import { defineConfig } from 'tsup'

// One ESM file with a shebang, so `bin` can point straight at it; the workspace packages stay
// external (they are dependencies, installed beside the CLI).
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
})
