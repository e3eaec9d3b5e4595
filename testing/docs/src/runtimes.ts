/**
 * What the runtimes other than Node give a README's block, declared as narrowly as the blocks use
 * it (a user there has the runtime's own types: `@cloudflare/workers-types`, Deno's and Bun's
 * built-ins). Anything a block uses beyond these still fails the check.
 */
export const RUNTIME_DECLARATIONS = `declare module 'cloudflare:workers' {
  export function waitUntil(promise: Promise<unknown>): void
}
declare const Deno: { env: { get(name: string): string | undefined } }
declare const Bun: { env: Record<string, string | undefined> }
`

/** Deno's \`npm:<package>\` specifier names the npm package itself. */
export const npmSpecifier = (specifier: string): string => specifier.replace(/^npm:/, '')
