import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { startTokenServer, type TokenServer } from '../support/token-server.js'

const run = promisify(execFile)
const consumer = fileURLToPath(new URL('./support/locking-consumer.mjs', import.meta.url))

describe('the account ledger across copies of core and processes', () => {
  let server: TokenServer
  let dir: string
  beforeEach(async () => {
    server = await startTokenServer({ expiresIn: 3600, secret: 'the-real-password', lockAfter: 5 })
    dir = await mkdtemp(join(tmpdir(), 'carrier-auth-ledger-'))
  })
  afterEach(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  const consume = async (env: Record<string, string>) => {
    const { stdout } = await run(process.execPath, [consumer], { env: { ...process.env, URL: server.url, PASSWORD: 'wrong-password', ...env } })
    return JSON.parse(stdout) as string[]
  }

  test('the ESM and CommonJS builds loaded in one process make 1 failed login between them', async () => {
    const outcomes = await consume({ LOAD: 'both', PROVIDERS: '3' })
    expect(outcomes).toHaveLength(6)
    expect(server.failedLogins('account-1')).toBe(1)
  })

  test('5 processes one after another on a FileStore make 1 failed login', async () => {
    const store = join(dir, 'tokens.json')
    for (let i = 0; i < 5; i++) await consume({ LOAD: 'esm', STORE: store })
    expect(server.failedLogins('account-1')).toBe(1)
    expect(server.isLocked('account-1')).toBe(false)
  })

  test('after 4 processes with 4 different wrong passwords on a FileStore, a 5th guess is never sent', async () => {
    const store = join(dir, 'tokens.json')
    for (const guess of ['guess-1', 'guess-2', 'guess-3', 'guess-4', 'guess-5']) await consume({ LOAD: 'esm', STORE: store, PASSWORD: guess })
    expect(server.failedLogins('account-1')).toBe(4)
    expect(server.isLocked('account-1')).toBe(false)
  })
})
