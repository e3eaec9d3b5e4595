import type { AuthorizationCodeAuth, CarrierAuthEvent } from '@carrier-auth/core'
import { metrics, trace } from '@opentelemetry/api'
import { afterEach, describe, expect, test } from 'vitest'
import { carrierAuthTelemetry, METRICS } from '../src/index.js'
import { useTelemetryFixture } from './support/fixture.js'

describe('composing with your own listener', () => {
  const f = useTelemetryFixture('packly')

  test('your own onEvent gets every event, after telemetry has recorded it', async () => {
    const seen: [CarrierAuthEvent['type'], number][] = []
    const onEvent = carrierAuthTelemetry({
      meterProvider: f.sdk.meterProvider,
      tracerProvider: f.sdk.tracerProvider,
      onEvent: (event) => seen.push([event.type, f.sdk.spans().length]),
    })
    await f.auth({ onEvent }).getToken()
    expect(seen).toEqual([
      ['token_requested', 0],
      ['token_acquired', 1],
    ])
  })
})

describe('global providers', () => {
  const f = useTelemetryFixture('packly')
  afterEach(() => {
    metrics.disable()
    trace.disable()
  })

  test('without providers, the global ones registered after the listener was made are used', async () => {
    const onEvent = carrierAuthTelemetry()
    metrics.setGlobalMeterProvider(f.sdk.meterProvider)
    trace.setGlobalTracerProvider(f.sdk.tracerProvider)
    await f.auth({ onEvent }).getToken()
    expect((await f.sdk.points(METRICS.requests)).map((p) => p.value)).toEqual([1])
    expect(f.sdk.spans()).toHaveLength(1)
  })
})

describe('what telemetry may hold', () => {
  const f = useTelemetryFixture('postfinance')
  const REDIRECT = 'http://127.0.0.1:8765/callback'
  const ACCOUNT = 'acme-customer-account'

  test('no metric or span holds a secret, a token or a connected account name', async () => {
    const auth = f.auth() as AuthorizationCodeAuth
    const { url, state } = auth.authorizeUrl({ redirectUri: REDIRECT })
    const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '')
    const tokens = [
      await auth.exchangeCode({ code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') ?? '', expectedState: state, redirectUri: REDIRECT, account: ACCOUNT }),
    ]
    const account = auth.forAccount(ACCOUNT)
    f.clock.set(tokens[0]!.expiresAt)
    tokens.push(await account.getToken())
    tokens.push(await auth.getToken())
    await f.auth({ credentials: { [f.secretField]: 'a-wrong-client-secret' } }).getToken().catch(() => {})

    const recorded = await f.sdk.everything()
    expect(f.sdk.spans().length).toBeGreaterThanOrEqual(3)
    const secrets = [...Object.values(f.emulator.credentials), 'a-wrong-client-secret', ACCOUNT, ...tokens.flatMap((t) => [t.accessToken, t.refreshToken])]
    for (const secret of secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6)) expect(recorded).not.toContain(secret)
  })
})
