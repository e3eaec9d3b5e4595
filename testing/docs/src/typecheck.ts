import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import ts from 'typescript'
import type { Block } from './blocks.js'
import { npmSpecifier, RUNTIME_DECLARATIONS } from './runtimes.js'

/** What a user's project would have: strict TypeScript, ESM on Node, @types/node. */
const options = (root: string): ts.CompilerOptions => ({
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  typeRoots: [join(root, 'node_modules', '@types')],
  // The published declarations are the release rehearsal's to check; here, the blocks.
  skipLibCheck: true,
})

/** Every workspace package, by name, with its folder. */
async function workspacePackages(root: string): Promise<Map<string, string>> {
  const dirs = [join(root, 'conformance'), ...(await readdir(join(root, 'packages'))).map((name) => join(root, 'packages', name))]
  const found = new Map<string, string>()
  for (const dir of dirs) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').then((t) => JSON.parse(t) as { name?: string }, () => undefined)
    if (manifest?.name) found.set(manifest.name, dir)
  }
  return found
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')

/**
 * Type-checks every block as a module of its own, in one program, and returns each block's
 * diagnostics as `README.md:<line>: <message>` (the README's own line numbers).
 *
 * Imports resolve as they would for a user who installed what the README says: a workspace
 * package by its own name from its own folder (as its published exports map says), anything
 * else from the README's package and then from the workspace packages that depend on it.
 */
export async function typecheck(root: string, blocks: readonly Block[]): Promise<Map<Block, string[]>> {
  const compilerOptions = options(root)
  const packages = await workspacePackages(root)
  const files = new Map(blocks.map((block, i) => [join(root, dirname(block.readme), `.readme-block-${i}.mts`), block]))
  const runtimes = join(root, '.readme-runtimes.d.ts')
  const sourceOf = (file: string) => (file === runtimes ? RUNTIME_DECLARATIONS : files.get(file)?.source)
  const host = ts.createCompilerHost(compilerOptions)
  const { getSourceFile, fileExists, readFile: read } = host
  host.fileExists = (file) => sourceOf(file) !== undefined || fileExists.call(host, file)
  host.readFile = (file) => sourceOf(file) ?? read.call(host, file)
  host.getSourceFile = (file, language, ...rest) => {
    const source = sourceOf(file)
    return source !== undefined ? ts.createSourceFile(file, source, language, true) : getSourceFile.call(host, file, language, ...rest)
  }
  // Resolved as if imported by a module in `dir`: a package's own name resolves there through its exports.
  const resolveFrom = (specifier: string, dir: string, mode: ts.ResolutionMode) =>
    ts.resolveModuleName(specifier, join(dir, '.resolve.mts'), compilerOptions, host, undefined, undefined, mode).resolvedModule
  host.resolveModuleNameLiterals = (literals, containing, _ref, _options, file) =>
    literals.map((literal) => {
      const specifier = npmSpecifier(literal.text)
      const mode = ts.getModeForUsageLocation(file, literal, compilerOptions)
      const own = packages.get(packageName(specifier))
      const candidates = own ? [own] : [dirname(containing), ...packages.values()]
      for (const dir of candidates) {
        const resolved = resolveFrom(specifier, dir, mode)
        if (resolved) return { resolvedModule: resolved }
      }
      return { resolvedModule: undefined }
    })

  const program = ts.createProgram([...files.keys(), runtimes], compilerOptions, host)
  const results = new Map<Block, string[]>(blocks.map((b) => [b, []]))
  for (const diagnostic of [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getGlobalDiagnostics()]) {
    const block = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!block) {
      for (const list of results.values()) list.push(`(global) ${text}`)
      continue
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    results.get(block)!.push(`${block.readme}:${block.line + line}: ${text}`)
  }
  return results
}
