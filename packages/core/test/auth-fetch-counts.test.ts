import createClient from 'openapi-fetch'
import { describe, expect, test, vi, afterEach } from 'vitest'
import { formatEvent } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth } from './support/test-profile.js'

describe('a resource that accepts the token', () => {
  const f = useFixture()

  test('through the middleware: one token request, one resource request, nothing invalidated', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    const api = createClient<{ '/resource': { get: { responses: { 200: { content: { 'application/json': unknown } } } } } }>({ baseUrl: f.server.url })
    api.use(auth.middleware())
    expect((await api.GET('/resource')).response.status).toBe(200)
    expect([f.server.tokenRequests, f.server.resourceRequests]).toEqual([1, 1])
    expect((await auth.getToken()).accessToken).toBe('tok-1')
  })

  test('through auth.fetch, called with a URL alone: one of each, and the token kept', async () => {
    const auth = createTestAuth({ baseUrl: f.server.url, clock: f.clock })
    expect((await auth.fetch(`${f.server.url}/resource`)).status).toBe(200)
    expect([f.server.tokenRequests, f.server.resourceRequests]).toEqual([1, 1])
    expect((await auth.getToken()).accessToken).toBe('tok-1')
  })
})

describe('without CARRIER_AUTH_DEBUG, in this process', () => {
  const f = useFixture()
  const saved = process.env.CARRIER_AUTH_DEBUG
  afterEach(() => {
    if (saved !== undefined) process.env.CARRIER_AUTH_DEBUG = saved
    vi.restoreAllMocks()
  })

  test('nothing reaches stderr', async () => {
    delete process.env.CARRIER_AUTH_DEBUG
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {})
    f.server.queue({ status: 503 })
    await createTestAuth({ baseUrl: f.server.url, clock: f.clock, retry: { random: () => 0 } }).getToken()
    expect(stderr).not.toHaveBeenCalled()
  })

  test('a log line without secrets to scrub keeps every word', () => {
    const line = formatEvent({ carrier: 'c', environment: undefined, host: 'h', keyId: 'k', at: 0, type: 'store_unavailable', operation: 'Stryker was here', error: 'x' })
    expect(line).toContain('operation="Stryker was here"')
  })
})
