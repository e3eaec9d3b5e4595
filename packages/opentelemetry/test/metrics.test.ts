import { MemoryStore } from '@carrier-auth/core'
import { FileStore } from '@carrier-auth/core/file-store'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { carrierAuthTelemetry, METRICS } from '../src/index.js'
import { useTelemetryFixture } from './support/fixture.js'

describe('metrics', () => {
  const f = useTelemetryFixture('pitney-bowes')
  const server = () => ({ 'server.address': '127.0.0.1', 'server.port': Number(new URL(f.emulator.url).port) })

  test('a token fetched once and then served from memory counts one token request and one duration', async () => {
    const auth = f.auth()
    for (let i = 0; i < 3; i++) await auth.getToken()
    expect(f.emulator.stats.tokenRequests).toBe(1)
    expect(await f.sdk.points(METRICS.requests)).toEqual([
      {
        unit: '{request}',
        value: 1,
        attributes: { 'carrier_auth.carrier': 'pitney-bowes', ...server(), 'carrier_auth.reason': 'cold', 'carrier_auth.outcome': 'success', 'carrier_auth.source': 'network' },
      },
    ])
    const [duration] = await f.sdk.histogram(METRICS.requestDuration)
    expect(duration?.unit).toBe('s')
    expect(duration?.value.count).toBe(1)
    expect(await f.sdk.points(METRICS.retries)).toEqual([])
  })

  test('a 5xx that is retried counts one retry by its error type and status, and one successful request', async () => {
    f.emulator.inject({ type: 'server_error', status: 503 })
    await f.auth().getToken()
    expect(f.emulator.stats.tokenRequests).toBe(2)
    expect((await f.sdk.points(METRICS.retries)).map((p) => [p.value, p.attributes['error.type'], p.attributes['http.response.status_code']])).toEqual([[1, 'server_error', 503]])
    expect((await f.sdk.points(METRICS.requests)).map((p) => [p.value, p.attributes['carrier_auth.outcome']])).toEqual([[1, 'success']])
  })

  test('the duration of a retried request includes its backoff, in seconds', async () => {
    f.emulator.inject({ type: 'rate_limited', retryAfterSeconds: 2 })
    await f.auth().getToken()
    const [duration] = await f.sdk.histogram(METRICS.requestDuration)
    // the manual clock moves only by the 2 s Retry-After wait
    expect(duration?.value.sum).toBe(2)
  })

  test('wrong credentials count a failed request by its code and a rejection, then a cooldown refusal', async () => {
    const auth = f.auth({ credentials: { [f.secretField]: 'not-the-secret' } })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_credentials' })
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'credentials_cooldown' })
    expect(f.emulator.stats.tokenRequests).toBe(1)
    const requests = await f.sdk.points(METRICS.requests)
    expect(requests.map((p) => [p.value, p.attributes['carrier_auth.outcome'], p.attributes['error.type'], p.attributes['carrier_auth.source']])).toEqual([
      [1, 'failure', 'invalid_credentials', undefined],
      [1, 'failure', 'credentials_cooldown', undefined],
    ])
    expect((await f.sdk.points(METRICS.credentialsRejections)).map((p) => [p.value, p.attributes['http.response.status_code']])).toEqual([[1, 401]])
  })

  test('a token another provider left in the shared store counts as a request served by the store', async () => {
    const store = new MemoryStore({ clock: f.clock })
    await f.auth({ store }).getToken()
    await f.auth({ store }).getToken()
    expect(f.emulator.stats.tokenRequests).toBe(1)
    const bySource = (await f.sdk.points(METRICS.requests)).map((p) => [p.attributes['carrier_auth.source'], p.value])
    expect(bySource).toEqual([
      ['network', 1],
      ['store', 1],
    ])
  })

  test('a store that cannot be used counts store errors by operation and error type, and the token still arrives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'otel-store-'))
    try {
      // a directory where the store expects its file: every read and write fails
      const token = await f.auth({ store: new FileStore({ path: dir }) }).getToken()
      expect(f.emulator.issuedTokens).toContain(token.accessToken)
      const errors = await f.sdk.points(METRICS.storeErrors)
      expect(errors.map((p) => p.attributes['carrier_auth.store.operation'])).toEqual(expect.arrayContaining(['get', 'set']))
      expect(new Set(errors.map((p) => p.attributes['error.type']))).toEqual(new Set(['EISDIR']))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('a failed background refresh counts as a failed refresh_ahead request, not one a caller saw', async () => {
    let refreshFailed!: () => void
    const recorded = new Promise<void>((resolve) => (refreshFailed = resolve))
    const onEvent = carrierAuthTelemetry({
      meterProvider: f.sdk.meterProvider,
      tracerProvider: f.sdk.tracerProvider,
      // called after telemetry has recorded the event: background work has no promise to await
      onEvent: (event) => event.type === 'token_refresh_failed' && refreshFailed(),
    })
    const auth = f.auth({ retry: { maxAttempts: 1 }, onEvent })
    const first = await auth.getToken()
    f.emulator.inject({ type: 'server_error' })
    // inside the refresh-ahead window: the cached token is served and one background request fails
    f.clock.set(first.expiresAt - 2 * 60_000)
    expect((await auth.getToken()).accessToken).toBe(first.accessToken)
    await recorded
    const failed = (await f.sdk.points(METRICS.requests)).find((p) => p.attributes['carrier_auth.outcome'] === 'failure')
    expect(failed?.attributes).toMatchObject({ 'carrier_auth.reason': 'refresh_ahead', 'error.type': 'server_error' })
  })
})
