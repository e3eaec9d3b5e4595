import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { run, sandbox } from './cli.js'

let box: ReturnType<typeof sandbox>
beforeEach(() => (box = sandbox()))
afterEach(() => box.cleanup())

const commands = ['token', 'authorize', 'conformance', 'emulate']

test('--help lists every command and the exit codes', async () => {
  const result = await run(['--help'], { home: box.dir })
  expect(result.code).toBe(0)
  for (const name of commands) expect(result.stdout).toContain(`  ${name} `)
  expect(result.stdout).toContain('Exit codes:')
})

test.each(commands)('%s --help prints its usage on stdout and exits 0', async (name) => {
  const result = await run([name, '--help'], { home: box.dir })
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(new RegExp(`Usage: carrier-auth[ -]${name}`))
  expect(result.stderr).toBe('')
})

test.each(commands)('help %s is the same as <command> --help', async (name) => {
  const [viaHelp, viaFlag] = await Promise.all([run(['help', name], { home: box.dir }), run([name, '--help'], { home: box.dir })])
  expect(viaHelp).toEqual(viaFlag)
})

test('help <command> <argument> is <command> <argument> --help (ready for subcommands such as cooldown clear)', async () => {
  const [viaHelp, viaFlag] = await Promise.all([run(['help', 'token', 'posti'], { home: box.dir }), run(['token', 'posti', '--help'], { home: box.dir })])
  expect(viaHelp).toEqual(viaFlag)
  expect(viaHelp.code).toBe(0)
})

test('token --help names every carrier’s variables and the exit codes', async () => {
  const { stdout } = await run(['token', '--help'], { home: box.dir })
  for (const variable of ['POSTI_USERNAME', 'PITNEY_BOWES_API_SECRET', 'POSTFINANCE_SCOPE', 'PACKLY_SANDBOX_BASE_URL', 'DHL_ECOMMERCE_CLIENT_ID']) {
    expect(stdout).toContain(variable)
  }
  expect(stdout).toMatch(/^ {2}4 {2}refused/m)
})

test('help alone prints the same help as --help, on stdout, exit 0', async () => {
  const [viaHelp, viaFlag] = await Promise.all([run(['help'], { home: box.dir }), run(['--help'], { home: box.dir })])
  expect(viaHelp).toEqual(viaFlag)
  expect(viaHelp.code).toBe(0)
  expect(viaHelp.stdout).toContain('Usage: carrier-auth <command>')
})

test('no command prints the help on stderr and exits 2', async () => {
  const result = await run([], { home: box.dir })
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toContain('Usage: carrier-auth <command>')
})

test('an unknown command exits 2 and lists the commands', async () => {
  const result = await run(['tokens'], { home: box.dir })
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('token, cooldown, authorize, conformance, emulate')
})

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  const result = await run(['--version'], { home: box.dir })
  expect(result).toMatchObject({ code: 0, stdout: `${version}\n` })
})
