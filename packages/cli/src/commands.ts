import { authorizeCommand } from './authorize.js'
import type { Command } from './command.js'
import { conformanceCommand } from './conformance.js'
import { cooldownCommand } from './cooldown.js'
import { emulateCommand } from './emulate.js'
import { tokenCommand } from './token.js'

/**
 * Every command, in the order the help lists them. A new command is one entry here: the
 * dispatcher, `help <command> [<subcommand>]`, the top-level help and the did-you-mean for a
 * mistyped name all read this list.
 */
export const commands: readonly Command[] = [tokenCommand, cooldownCommand, authorizeCommand, conformanceCommand, emulateCommand]
