import { defineConfig } from 'tsup'

export default defineConfig({
  // `node/` entries may use node: modules; the main entry must not (it runs on edge runtimes).
  entry: { index: 'src/index.ts', 'node/file-store': 'src/node/file-store.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  tsconfig: 'tsconfig.build.json',
})
