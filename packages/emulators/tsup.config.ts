import { defineConfig } from 'tsup'

// The emulators live in conformance/src/emulators (the matrix is built on them); this package
// bundles that one source into its own small dist, so a user's tests get the emulators without the
// matrix's carriers, Redis store and ioredis. Only ajv stays external: it is the one dependency.
export default defineConfig({
  entry: { index: '../../conformance/src/emulators/index.ts' },
  format: ['esm', 'cjs'],
  // Types from the carrier modules and core are inlined: a user installs this package and ajv alone.
  dts: { resolve: [/^@carrier-auth\//] },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  external: ['ajv'],
  tsconfig: 'tsconfig.build.json',
})
