import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Emulator, startEmulator } from '@carrier-auth/conformance'
import { afterEach, beforeEach, expect } from 'vitest'

/** The built binary, exactly as `bin` points at it: the tests never import the source. */
export const BIN = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

export interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** A temp folder per test: HOME and the token file live there, so no test sees another's cache. */
export function sandbox(): { dir: string; store: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'carrier-auth-cli-'))
  return { dir, store: join(dir, 'tokens.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export type Sandbox = ReturnType<typeof sandbox>

/** A sandbox per test, and the emulators the test pushed onto `running`, closed after it. */
export function useSandbox(): { readonly box: Sandbox; running: Emulator[] } {
  let box: Sandbox | undefined
  const running: Emulator[] = []
  beforeEach(() => void (box = sandbox()))
  afterEach(async () => {
    for (const emulator of running.splice(0)) await emulator.close()
    box?.cleanup()
  })
  return {
    get box() {
      return box!
    },
    running,
  }
}

/** A sandbox and a PostFinance emulator per test, with the environment the CLI reads its credentials from. */
export function usePostFinance(): { readonly box: Sandbox; readonly emulator: Emulator<'postfinance'>; readonly env: Record<string, string> } {
  const sandboxed = useSandbox()
  let emulator: Emulator<'postfinance'> | undefined
  let env: Record<string, string> = {}
  beforeEach(async () => {
    emulator = await startEmulator('postfinance')
    sandboxed.running.push(emulator)
    const { clientId, clientSecret, scope } = emulator.credentials
    env = { POSTFINANCE_CLIENT_ID: clientId, POSTFINANCE_CLIENT_SECRET: clientSecret, POSTFINANCE_SCOPE: scope, CARRIER_AUTH_STORE: sandboxed.box.store }
  })
  return {
    get box() {
      return sandboxed.box
    },
    get emulator() {
      return emulator!
    },
    get env() {
      return env
    },
  }
}

/**
 * The child's environment: only what the test passes, plus PATH and a private HOME, so
 * credentials in the developer's own shell can never leak into (or satisfy) a test.
 */
function childEnv(home: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...env }
}

export interface Running {
  child: ChildProcess
  /** Resolves with the first stdout line that matches (rejects if the process exits first). */
  line(pattern: RegExp): Promise<string>
  /** Resolves with everything once the process exits. */
  exited: Promise<Result>
  stdout(): string
}

/** Starts the binary and lets the test talk to it while it runs (authorize, emulate). */
export function start(args: string[], options: { home: string; env?: Record<string, string> }): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(options.home, options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const waiters: Array<() => void> = []
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const wake of waiters.splice(0)) wake()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<Result>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  let done = false
  void exited.then(() => {
    done = true
    for (const wake of waiters.splice(0)) wake()
  })
  return {
    child,
    exited,
    stdout: () => stdout,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = stdout.split('\n').find((l) => pattern.test(l))
          if (found !== undefined) resolve(found)
          else if (done) reject(new Error(`exited before printing ${pattern}:\n${stdout}\n${stderr}`))
          else waiters.push(check)
        }
        check()
      }),
  }
}

/** Runs the binary to completion. */
export function run(args: string[], options: { home: string; env?: Record<string, string> }): Promise<Result> {
  return start(args, options).exited
}

/** Neither stream may contain any of these values. */
export function expectNoSecrets(result: Result, secrets: readonly string[]): void {
  const output = result.stdout + result.stderr
  for (const secret of secrets) expect(output).not.toContain(secret)
}
