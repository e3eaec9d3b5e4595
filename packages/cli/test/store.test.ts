import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator } from '@carrier-auth/conformance'
import { describe, expect, test } from 'vitest'
import { run, useSandbox } from './cli.js'

const sandboxed = useSandbox()
const running = sandboxed.running

async function posti() {
  const emulator = await startEmulator('posti')
  running.push(emulator)
  return { emulator, env: { POSTI_USERNAME: emulator.credentials.username, POSTI_PASSWORD: emulator.credentials.password } }
}

/** Token files that cannot be used, whoever runs the test (root included). */
const unusable: Array<[string, () => string]> = [
  ['a folder', () => (mkdirSync(join(sandboxed.box.dir, 'folder')), join(sandboxed.box.dir, 'folder'))],
  ['under a file', () => (writeFileSync(join(sandboxed.box.dir, 'plain'), 'x'), join(sandboxed.box.dir, 'plain', 'tokens.json'))],
  ['not JSON', () => (writeFileSync(join(sandboxed.box.dir, 'garbled.json'), '{ not json'), join(sandboxed.box.dir, 'garbled.json'))],
]

describe('Posti locks accounts: an unusable token file stops the command before Posti is called', () => {
  test.each(unusable)('--store that is %s: exit 3, the file named, no request', async (_, make) => {
    const { emulator, env } = await posti()
    const store = make()
    const result = await run(['token', 'posti', '--base-url', emulator.url, '--store', store], { home: sandboxed.box.dir, env })
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`The token file ${store} cannot be used`)
    expect(result.stderr).toContain('Posti locks an account after repeated failed logins')
    expect(result.stderr).toContain('--store')
    expect(emulator.stats.tokenRequests).toBe(0)
  })

  test('a token file that does not exist yet is fine: its folder is created', async () => {
    const { emulator, env } = await posti()
    const store = join(sandboxed.box.dir, 'new', 'folder', 'tokens.json')
    const result = await run(['token', 'posti', '--base-url', emulator.url, '--store', store], { home: sandboxed.box.dir, env })
    expect(result.code).toBe(0)
    expect(emulator.stats.tokenRequests).toBe(1)
  })
})

test('a carrier that locks no account still gets its token, with a warning about the file', async () => {
  const emulator = await startEmulator('pitney-bowes')
  running.push(emulator)
  const env = { PITNEY_BOWES_API_KEY: emulator.credentials.apiKey, PITNEY_BOWES_API_SECRET: emulator.credentials.apiSecret }
  mkdirSync(join(sandboxed.box.dir, 'folder'))
  const result = await run(['token', 'pitney-bowes', '--base-url', emulator.url, '--store', join(sandboxed.box.dir, 'folder')], { home: sandboxed.box.dir, env })
  expect(result.code).toBe(0)
  expect(result.stdout.trim()).toBe(emulator.issuedTokens[0])
  expect(result.stderr).toContain('is not usable')
})
