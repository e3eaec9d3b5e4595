import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('auth.fetch', () => {
  const f = useFixture()

  /** The global fetch, recording what auth.fetch hands it for the resource API. */
  function recordingFetch() {
    const inputs: unknown[] = []
    const recording: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/resource')) inputs.push(input)
      return fetch(input, init)
    }
    return { inputs, recording }
  }

  test('a URL string reaches fetch as the caller gave it: no Request is built or copied', async () => {
    const { inputs, recording } = recordingFetch()
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock, fetch: recording })
    const response = await auth.fetch(`${f.server.url}/resource`, { method: 'POST', body: 'hello' })
    expect(await response.json()).toMatchObject({ ok: true, body: 'hello' })
    expect(inputs).toEqual([`${f.server.url}/resource`])
  })

  test('after a 401, each resendable body is sent again with the fresh token', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const bodies: [string, () => BodyInit][] = [
      ['a=1&b=2', () => new URLSearchParams({ a: '1', b: '2' })],
      ['bytes', () => new TextEncoder().encode('bytes')],
      ['buffer', () => new TextEncoder().encode('buffer').buffer as ArrayBuffer],
      ['blob', () => new Blob(['blob'])],
    ]
    for (const [text, body] of bodies) {
      f.server.validTokens.delete((await auth.getToken()).accessToken)
      const response = await auth.fetch(new URL('/resource', f.server.url), { method: 'POST', body: body() })
      expect(await response.json()).toMatchObject({ ok: true, body: text })
    }
    expect(f.server.tokenRequests).toBe(1 + bodies.length)
  })

  test('a FormData body is sent again whole after a 401', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    f.server.validTokens.delete((await auth.getToken()).accessToken)
    const form = new FormData()
    form.set('field', 'value-in-the-form')
    const response = await auth.fetch(`${f.server.url}/resource`, { method: 'POST', body: form })
    expect(((await response.json()) as { body: string }).body).toContain('value-in-the-form')
  })

  test('an Authorization header the caller gave is replaced, whatever its case and the form of the headers', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const stale = 'Bearer stale'
    const forms: HeadersInit[] = [{ authorization: stale, 'x-kept': '1' }, [['AUTHORIZATION', stale]], new Headers({ Authorization: stale })]
    for (const headers of forms) expect((await auth.fetch(`${f.server.url}/resource`, { headers })).status).toBe(200)
    expect(f.server.resourceRequests).toBe(forms.length)
  })

  test('a Request input is still copied and replayed once after a 401', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    f.server.validTokens.delete((await auth.getToken()).accessToken)
    const response = await auth.fetch(new Request(`${f.server.url}/resource`, { method: 'POST', body: 'from a Request' }))
    expect(await response.json()).toMatchObject({ ok: true, body: 'from a Request' })
    expect(f.server.resourceRequests).toBe(2)
  })
})
