import type { TestProject } from 'vitest/node'

/**
 * A vitest global setup for suites that need a real server: it asks once whether the server
 * answers, says so in ONE loud line when it does not (or fails, where CI requires the server:
 * `skipOrFail`'s job), and provides `flag` (true when it answers) for `describe.skipIf(!inject(flag))`.
 */
export function serverGlobalSetup(check: {
  flag: string
  suite: string
  missing(): Promise<string | undefined>
  skipOrFail(suite: string, missing: string): void
}): (project: TestProject) => Promise<void> {
  return async (project) => {
    const missing = await check.missing()
    if (missing !== undefined) check.skipOrFail(check.suite, missing)
    // The flag's key is declared by the suite (`ProvidedContext`); vitest cannot know it here.
    project.provide(check.flag as never, (missing === undefined) as never)
  }
}
