import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { run, sandbox } from './cli.js'

let box: ReturnType<typeof sandbox>
beforeEach(() => (box = sandbox()))
afterEach(() => box.cleanup())

test('conformance --carrier posti --scenario reuse runs the matrix runner and writes its reports', async () => {
  const reports = join(box.dir, 'report')
  const result = await run(['conformance', '--carrier', 'posti', '--scenario', 'reuse', '--report-dir', reports], { home: box.dir })
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(/conformance: \d+ passed, 0 failed/)
  expect(result.stdout).toContain('posti')
  expect(existsSync(join(reports, 'junit.xml'))).toBe(true)
  expect(existsSync(join(reports, 'summary.md'))).toBe(true)
})

test('conformance with an unknown carrier exits 2', async () => {
  const result = await run(['conformance', '--carrier', 'fedex'], { home: box.dir })
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('unknown carrier: fedex')
})
