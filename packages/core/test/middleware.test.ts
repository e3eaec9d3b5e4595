import createClient from 'openapi-fetch'
import { describe, expect, test } from 'vitest'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

interface resourcePaths {
  '/resource': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    get: { parameters: { query?: never; header?: never; path?: never; cookie?: never }; responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': { ok: boolean } } } } }
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never }
      requestBody: { content: { 'application/json': { n: number } } }
      responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': { ok: boolean; body: string } } } }
    }
  }
}

describe('middleware', () => {
  const f = useFixture()

  test('adds the bearer header', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const api = createClient<resourcePaths>({ baseUrl: f.server.url })
    api.use(auth.middleware())
    const { data, response } = await api.GET('/resource')
    expect(response.status).toBe(200)
    expect(data).toMatchObject({ ok: true })
  })

  test('a resource 401 invalidates, refreshes once and retries once, replaying the body', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const api = createClient<resourcePaths>({ baseUrl: f.server.url })
    api.use(auth.middleware())
    await auth.getToken()
    f.server.validTokens.delete('tok-1') // the resource API revoked it
    const { data, response } = await api.POST('/resource', { body: { n: 42 } })
    expect(response.status).toBe(200)
    expect(data?.body).toBe('{"n":42}')
    expect(f.server.tokenRequests).toBe(2)
    expect(f.server.resourceRequests).toBe(2)
  })

  test('a second 401 surfaces, after exactly one refresh', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const api = createClient<resourcePaths>({ baseUrl: f.server.url })
    api.use(auth.middleware())
    f.server.resource.rejectAll = true
    const { response } = await api.GET('/resource')
    expect(response.status).toBe(401)
    expect(f.server.tokenRequests).toBe(2)
    expect(f.server.resourceRequests).toBe(2)
  })

  test('auth.fetch does the same for plain fetch', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    await auth.getToken()
    f.server.validTokens.delete('tok-1')
    const response = await auth.fetch(`${f.server.url}/resource`, { method: 'POST', body: 'hello' })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ body: 'hello' })
    expect(f.server.tokenRequests).toBe(2)
  })

  test('auth.fetch does not replay a one-shot stream body, but still invalidates', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    await auth.getToken()
    f.server.validTokens.delete('tok-1')
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('stream'))
        c.close()
      },
    })
    const response = await auth.fetch(`${f.server.url}/resource`, { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(401)
    expect(f.server.resourceRequests).toBe(1)
    expect((await auth.getToken()).accessToken).toBe('tok-2')
  })
})
