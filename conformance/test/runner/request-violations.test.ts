import { describe, expect, test } from 'vitest'
import { carriers } from '../../src/carriers.js'
import { runCell } from '../../src/runner/cell.js'
import { scenario } from '../../src/scenarios/scenario.js'

const posti = carriers.find((c) => c.name === 'posti')!

/** A fetch that changes one request header on the way out, as a broken package would send it. */
function withHeader(name: string, value: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const headers = new Headers(request.headers)
    headers.set(name, value)
    return fetch(request.url, { method: request.method, headers, body: await request.arrayBuffer(), signal: request.signal })
  }
}

describe('requests are judged', () => {
  test('a package that sends Accept: text/html fails the cell, with the violation in the detail', async () => {
    const reuse = scenario('demo.reuse', 'gets a token', async (ctx) => {
      ctx.seen(await ctx.auth({ fetch: withHeader('accept', 'text/html') }).getToken())
    })
    const result = await runCell(reuse, posti, { kind: 'emulator' })
    expect(result.status).toBe('fail')
    expect(result.detail).toMatch(/^the package sent a request off-spec: POST \/oauth\/token: .*Accept/)
  })

  test('an off-spec request the scenario sends on purpose is not held against the package', async () => {
    const provoked = scenario('demo.provoked', 'sends a request with no Basic header', async (ctx) => {
      await ctx.provoking(() => fetch(ctx.emulator!.tokenUrl, { method: 'POST' }).then((r) => r.arrayBuffer()))
      ctx.seen(await ctx.auth().getToken())
    })
    expect(await runCell(provoked, posti, { kind: 'emulator' })).toMatchObject({ status: 'pass' })
  })

  test('the same request outside provoking() fails the cell', async () => {
    const stray = scenario('demo.stray', 'sends a request with no Basic header', async (ctx) => {
      await fetch(ctx.emulator!.tokenUrl, { method: 'POST' }).then((r) => r.arrayBuffer())
    })
    expect(await runCell(stray, posti, { kind: 'emulator' })).toMatchObject({ status: 'fail' })
  })
})
