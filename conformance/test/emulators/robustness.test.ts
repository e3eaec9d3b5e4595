import { connect } from 'node:net'
import { describe, expect, test } from 'vitest'
import { MAX_VIOLATIONS, recordViolation } from '../../src/emulators/violation-log.js'
import { wires } from './support/carriers.js'
import { call, useEmulators } from './support/emulators.js'

const start = useEmulators()

/** Sends raw bytes, as a broken client or a port scanner would, and returns the status line. */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
  })
}

describe('an emulator as a tool: malformed requests get a 400 and never kill it', () => {
  test.each([
    ['GET //', 'GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['GET http://[', 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['a garbage request line', 'HELLO\r\n\r\n'],
    ['a broken header', 'POST /oauth/token HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'],
  ])('%s: 400, then the next token request is answered', async (_name, bytes) => {
    const emulator = await start('posti')
    expect(await raw(emulator.tokenUrl, bytes)).toMatch(/^HTTP\/1\.1 400/)
    expect((await call(emulator.tokenUrl, wires.posti.request(emulator, { ...emulator.credentials }))).status).toBe(200)
    expect(emulator.requestViolations.length).toBeGreaterThan(0)
  })

  test('the violation log keeps at most MAX_VIOLATIONS entries, the last one saying more were dropped', () => {
    const log: string[] = []
    for (let i = 0; i < MAX_VIOLATIONS + 50; i++) recordViolation(log, `problem ${i}`)
    expect(log).toHaveLength(MAX_VIOLATIONS)
    expect(log[0]).toBe('problem 0')
    expect(log.at(-1)).toMatch(/further violations not recorded/)
  })

  test('onRequest hears of every answer with the violations its request left, never the query', async () => {
    const heard: unknown[] = []
    const emulator = await start('posti', { onRequest: (entry) => heard.push(entry) })
    const init = wires.posti.request(emulator, { ...emulator.credentials })
    await call(`${emulator.tokenUrl}?secret=abc`, { ...init, headers: { ...(init.headers as Record<string, string>), accept: 'text/html' } })
    expect(heard).toEqual([{ method: 'POST', path: '/oauth/token', status: 200, violations: [expect.stringMatching(/Accept admits none/)] }])
  })
})
