import { carriers, startEmulator } from '@carrier-auth/conformance'
import { describe, expect, test } from 'vitest'
import { expectNoSecrets, run, useSandbox } from './cli.js'

const sandboxed = useSandbox()
const running = sandboxed.running

const WRONG = 'a-typo-in-the-password'

async function posti() {
  const emulator = await startEmulator('posti')
  running.push(emulator)
  const wrong = { POSTI_USERNAME: emulator.credentials.username, POSTI_PASSWORD: WRONG }
  const cli = (args: string[]) => run([...args, '--base-url', emulator.url, '--store', sandboxed.box.store], { home: sandboxed.box.dir, env: wrong })
  return { emulator, cli }
}

describe('carrier-auth cooldown clear posti', () => {
  test('a wrong password is refused; after a clear the same password is sent once more, then refused again', async () => {
    const { emulator, cli } = await posti()
    expect((await cli(['token', 'posti'])).code).toBe(4)
    const refused = await cli(['token', 'posti'])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('[credentials_cooldown]')
    expect(refused.stderr).toContain(`carrier-auth cooldown clear posti --base-url ${emulator.url} --store ${sandboxed.box.store}`)
    expect(emulator.stats.failedLogins).toBe(1)

    const cleared = await cli(['cooldown', 'clear', 'posti'])
    expect(cleared.code).toBe(0)
    expect(cleared.stdout).toContain(`Cleared the credentials cooldown of the Posti account at ${new URL(emulator.url).host}`)
    expect(cleared.stderr).toContain('Posti locks the account for an hour after 5 failed logins; clearing lets the next run try again at once')
    expectNoSecrets(cleared, [WRONG])

    const again = await cli(['token', 'posti'])
    expect(again.code).toBe(4)
    expect(again.stderr).toContain('[invalid_credentials]')
    expect(emulator.stats.failedLogins).toBe(2)
    expect((await cli(['token', 'posti'])).stderr).toContain('[credentials_cooldown]')
    expect(emulator.stats.failedLogins).toBe(2)
  })

  test('clears never make a 5th failed login within the hour: the account is never locked', async () => {
    const { emulator, cli } = await posti()
    for (let i = 0; i < 4; i++) {
      expect((await cli(['cooldown', 'clear', 'posti'])).code).toBe(0)
      expect((await cli(['token', 'posti'])).stderr).toContain('[invalid_credentials]')
    }
    expect((await cli(['cooldown', 'clear', 'posti'])).code).toBe(0)
    const fifth = await cli(['token', 'posti'])
    expect(fifth.code).toBe(4)
    expect(fifth.stderr).toContain('used up its budget')
    expect(emulator.stats.failedLogins).toBe(4)
    expect(emulator.isLocked()).toBe(false)
  }, 90_000) // ten runs of the binary

  test('without the credentials in the environment it names the variables (exit 3)', async () => {
    const result = await run(['cooldown', 'clear', 'posti', '--store', sandboxed.box.store], { home: sandboxed.box.dir })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('Neither POSTI_USERNAME nor POSTI_PASSWORD is set')
  })

  test('a missing or unknown subcommand is a usage error with the usage line', async () => {
    for (const args of [['cooldown'], ['cooldown', 'reset', 'posti']]) {
      const result = await run(args, { home: sandboxed.box.dir })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('Usage: carrier-auth cooldown clear <carrier>')
    }
  })

  test('help cooldown clear is its help', async () => {
    const result = await run(['help', 'cooldown', 'clear'], { home: sandboxed.box.dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('the limit on failed logins stays')
  })
})

// The account the CLI clears is named by the registry's non-secret credential: every carrier's
// own rejection is the one lifted (a wrong mapping would clear another account and change nothing).
test.each(carriers.filter((c) => c.name !== 'posti').map((c) => [c.name, c] as const))(
  '%s, which locks no account: the clear lifts its own rejection, without the lockout warning',
  async (name, carrier) => {
    const emulator = await startEmulator(name)
    running.push(emulator)
    const env: Record<string, string> = {}
    for (const [field, variable] of Object.entries(carrier.live.variables)) {
      if (field === 'baseUrl') continue
      env[variable] = field === carrier.secretField ? 'wrong-secret' : String((emulator.credentials as Record<string, unknown>)[field] ?? '')
    }
    const cli = (args: string[]) => run([...args, '--base-url', emulator.url, '--store', sandboxed.box.store], { home: sandboxed.box.dir, env })
    expect((await cli(['token', name])).stderr).toContain('[invalid_credentials]')
    expect((await cli(['token', name])).stderr).toContain('[credentials_cooldown]')
    const cleared = await cli(['cooldown', 'clear', name])
    expect(cleared.code).toBe(0)
    expect(cleared.stderr).toBe('')
    expect((await cli(['token', name])).stderr).toContain('[invalid_credentials]')
    expect(emulator.stats.failedLogins).toBe(2)
  },
  60_000, // five runs of the binary: past 30 s on this 2-core machine at a load average of 40
)
