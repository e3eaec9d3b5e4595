import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { startEmulator } from '../../src/emulators/index.js'

const run = promisify(execFile)
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

test('--live runs only the safe scenarios, with credentials from the environment, and never an error scenario', async () => {
  // An emulator stands in for Packly's sandbox (whose host Packly gives each customer).
  const sandbox = await startEmulator('packly')
  try {
    const reportDir = await mkdtemp(join(tmpdir(), 'carrier-auth-live-'))
    const { stdout } = await run(process.execPath, [cli, '--live', '--carrier', 'packly', '--scenario', 'reuse', '--scenario', 'concurrency', '--scenario', 'errors', '--report-dir', reportDir], {
      env: { ...process.env, PACKLY_CLIENT_ID: sandbox.credentials.clientId, PACKLY_CLIENT_SECRET: sandbox.credentials.clientSecret, PACKLY_SANDBOX_BASE_URL: sandbox.url },
    })
    expect(stdout).toMatch(/^conformance: 5 passed, 0 failed, 12 skipped$/m)
    expect(stdout).toMatch(/errors\.invalid-credentials\s+n\/a: live/)
    expect(sandbox.stats.failedLogins).toBe(0)
    expect(stdout).not.toContain(sandbox.credentials.clientSecret)
  } finally {
    await sandbox.close()
  }
})
