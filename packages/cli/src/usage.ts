import type { Command, Context } from './command.js'

/**
 * A command's usage line(s): the first paragraph of its own --help, so the synopsis is written
 * once, in the help text, and a usage error repeats exactly that.
 */
export async function usageOf(command: Command, context: Context): Promise<string | undefined> {
  let text = ''
  const quiet: Context = { env: context.env, out: (t) => (text += `${t}\n`), err: () => {}, secrets: [], hints: {} }
  try {
    await command.run(['--help'], quiet)
  } catch {
    return undefined
  }
  const start = text.indexOf('Usage:')
  if (start === -1) return undefined
  return text.slice(start).split(/\n\s*\n/)[0]
}
