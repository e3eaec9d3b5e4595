import { afterEach, beforeEach, expect, test } from 'vitest'
import { run, sandbox } from './cli.js'

let box: ReturnType<typeof sandbox>
beforeEach(() => (box = sandbox()))
afterEach(() => box.cleanup())

const cli = (args: string[]) => run(args, { home: box.dir })

test('a mistyped option gets "did you mean --json?", the usage line and exit 2, not parseArgs\' text', async () => {
  const result = await cli(['token', 'posti', '--jsno'])
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toContain('carrier-auth token: Unknown option --jsno: did you mean --json?')
  expect(result.stderr).toContain('Usage: carrier-auth token <carrier>')
  expect(result.stderr).toContain('Run: carrier-auth token --help')
  expect(result.stderr).not.toContain('To specify a positional argument')
})

test('an option named by its start is suggested whole: --base → --base-url', async () => {
  const result = await cli(['token', 'posti', '--base', 'http://127.0.0.1:1'])
  expect(result.stderr).toContain('Unknown option --base: did you mean --base-url?')
})

test('an option like no other gets no guess, only the usage line', async () => {
  const result = await cli(['token', 'posti', '--password', 'x'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('Unknown option --password.')
  expect(result.stderr).not.toContain('did you mean')
  expect(result.stderr).toContain('Usage: carrier-auth token <carrier>')
})

test('an option without its value says so: --env needs a value', async () => {
  const result = await cli(['token', 'posti', '--env'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('carrier-auth token: --env needs a value.')
})

test('a flag given a value says so: --json takes no value', async () => {
  const result = await cli(['token', 'posti', '--json=yes'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('carrier-auth token: --json takes no value.')
})

test("another command's usage line comes with its own error: authorize --redirect-prot", async () => {
  const result = await cli(['authorize', 'postfinance', '--redirect-prot', '0'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('did you mean --redirect-port?')
  expect(result.stderr).toContain('Usage: carrier-auth authorize <carrier> --redirect-port <port>')
})

test('a mistyped command gets "did you mean token?" and exit 2', async () => {
  const result = await cli(['tokn', 'posti'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('Unknown command "tokn": did you mean token?')
  expect(result.stderr).toContain('Run: carrier-auth help')
})

test('help for a mistyped command is the same did-you-mean', async () => {
  const result = await cli(['help', 'emulat'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('Unknown command "emulat": did you mean emulate?')
})
