import { runConformanceCli } from '@carrier-auth/conformance'
import type { Command } from './command.js'

/** The matrix runner, as it ships in @carrier-auth/conformance: one implementation, two entry points. */
export const conformanceCommand: Command = {
  name: 'conformance',
  summary: 'run the conformance matrix (every scenario × carrier) against the emulators, or --live',
  run: (argv) => runConformanceCli(argv),
}
