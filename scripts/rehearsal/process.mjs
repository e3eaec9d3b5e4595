// The rehearsal's process plumbing: child processes with time limits, a clean environment, and
// cleanups that run once on every way out (success, failure, Ctrl-C, the overall deadline).
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, 'node_modules', '.bin')
export const MINUTE = 60_000

const started = Date.now()
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
export const elapsed = () => seconds(Date.now() - started)
export const log = (text) => console.log(text)
export const step = (text) => log(`\n▸ ${text} (${elapsed()})`)

/** A failure the rehearsal explains itself (no stack trace). */
export class Failure extends Error {}

const cleanups = []
const children = new Set()
let cleaning

/** Registers a cleanup; they run newest first. */
export const onCleanup = (fn) => cleanups.push(fn)

/** Runs the registered cleanups once; each failure is reported, none stops the rest. */
export function cleanup() {
  cleaning ??= (async () => {
    for (const child of children) killTree(child, 'SIGTERM')
    for (const fn of cleanups.reverse()) {
      try {
        await fn()
      } catch (error) {
        console.error(`cleanup: ${error.message}`)
      }
    }
    for (const child of children) killTree(child, 'SIGKILL')
  })()
  return cleaning
}

/** Children run in their own process group, so npm's and pnpm's own children stop with them. */
export function killTree(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

export async function finish(code) {
  await cleanup()
  process.exit(code)
}

/** Ctrl-C, SIGTERM and the deadline all clean up before exiting. */
export function guard(deadlineMs) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\nrelease rehearsal: ${signal}, cleaning up`)
      void finish(130)
    })
  }
  setTimeout(() => {
    console.error(`release rehearsal: over ${deadlineMs / MINUTE} minutes, giving up`)
    void finish(1)
  }, deadlineMs).unref()
}

/** A detached child that the cleanups stop; its output is collected. */
export function track(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  child.on('close', () => children.delete(child))
  return child
}

export const tail = (text) => text.trim().split('\n').slice(-40).join('\n')

/**
 * Runs a command with a time limit and returns its output; fails with the output's tail.
 * The environment is the rehearsal's own (`env`), never the caller's npm settings: `pnpm run`
 * exports npm_config_* variables that would point installs at the real registry.
 */
export function exec(command, args, { cwd = ROOT, env, timeoutMs = 2 * MINUTE, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(command, args, { cwd, env })
    let output = ''
    const collect = (chunk) => {
      output += chunk
      if (!quiet) process.stdout.write(chunk)
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    const timer = setTimeout(() => {
      killTree(child, 'SIGKILL')
      reject(new Failure(`${command} ${args.join(' ')}: no result within ${seconds(timeoutMs)}\n${tail(output)}`))
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Failure(`${command}: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Failure(`${command} ${args.join(' ')} exited ${code}\n${tail(output)}`))
    })
  })
}

/** The environment without any npm/pnpm configuration inherited from the caller. */
export function cleanEnv(extra) {
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_|^pnpm_/i.test(name)) env[name] = value
  }
  return { ...env, CI: 'true', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...extra }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export async function waitFor(what, probe, timeoutMs) {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await probe()) return
    } catch {
      // Not up yet.
    }
    if (Date.now() > until) throw new Failure(`${what} did not come up within ${seconds(timeoutMs)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
