// pnpm hooks for this workspace (pnpm ≥ 10.28 runs beforePacking on `pnpm pack` and `pnpm publish`).
module.exports = {
  hooks: {
    // A published manifest is for installing: the tools this repo builds and tests with (and the
    // private workspace packages among them, such as @carrier-auth/testing-redis) mean nothing to
    // a user, and naming a private package there points at something no registry has.
    beforePacking(manifest) {
      delete manifest.devDependencies
      return manifest
    },
  },
}
