import { describe, expect, test } from 'vitest'
import { createCarrierAuth, defineProfile, MemoryStore } from '../src/index.js'
import { createTestAuth, SECRET, testProfile } from './support/test-profile.js'

const BASE = 'https://token.example.com'
const build = (options: Record<string, unknown>) => () => createTestAuth({ baseUrl: BASE, ...options } as never)
const refused = (message: RegExp | string) => expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(message) })

describe('options a factory refuses, each by name', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['no concurrent requests at all', { maxConcurrentRequests: 0 }, /^maxConcurrentRequests must be a whole number of at least 1\.$/],
    ['a fraction of a request', { maxConcurrentRequests: 1.5 }, /^maxConcurrentRequests must be/],
    ['a negative refresh-ahead window', { refreshAheadMs: -1 }, /^refreshAheadMs must be a non-negative number of milliseconds\.$/],
    ['a NaN expiry buffer', { expiryBufferMs: Number.NaN }, /^expiryBufferMs must be a non-negative/],
    ['an infinite cooldown', { credentialsCooldownMs: Number.POSITIVE_INFINITY }, /^credentialsCooldownMs must be a non-negative/],
    ['an infinite timeout', { timeoutMs: Number.POSITIVE_INFINITY }, /^timeoutMs must be a positive number of milliseconds\.$/],
    ['retry as null', { retry: null }, /^retry must be an object \(\{ maxAttempts, baseDelayMs, maxDelayMs, deadlineMs \}\)\.$/],
    ['retry as a number', { retry: 3 }, /^retry must be an object/],
    ['no attempt at all', { retry: { maxAttempts: 0 } }, /^retry\.maxAttempts must be a whole number of at least 1\.$/],
    ['a fraction of an attempt', { retry: { maxAttempts: 2.5 } }, /^retry\.maxAttempts/],
    ['a negative largest delay', { retry: { maxDelayMs: -1 } }, /^retry\.maxDelayMs must be a non-negative number of milliseconds\.$/],
    ['a zero deadline', { retry: { deadlineMs: 0 } }, /^retry\.deadlineMs must be a positive number of milliseconds\.$/],
    ['a random that is a number', { retry: { random: 0.5 } }, /^retry\.random must be a function returning a number in \[0, 1\)\.$/],
    ['a store that is null', { store: null }, /^store must be a TokenStore \(an object with get, set, compareAndSet, delete, getMarker, setMarker\)\.$/],
    ['a store that is a string', { store: 'redis://x' }, /^store must be a TokenStore/],
    ['a store whose lock is not a function', { store: Object.assign(new MemoryStore(), { lock: 1 }) }, /^store\.lock must be a function when present\.$/],
    ['a clock that is null', { clock: null }, /^clock must be an object with a now\(\) method returning epoch milliseconds\.$/],
    ['a clock whose sleep is not a function', { clock: { now: () => 0, sleep: 5 } }, /^clock\.sleep must be a function when present\.$/],
    ['a base URL that is not a string', { baseUrl: 42 }, /^baseUrl must be a string \(an absolute https URL\)\.$/],
    ['a base URL that is no URL', { baseUrl: 'token.example.com/oauth' }, /^baseUrl is not a valid absolute URL\.$/],
    ['a secret of spaces', { clientSecret: '   ' }, /^TestCarrier needs "clientSecret" as a non-empty string \(clientId, clientSecret are required\)\.$/],
    ['a client id that is a number', { clientId: 7 }, /needs "clientId"/],
  ])('%s', (_name, options, message) => {
    expect(build(options)).toThrow(refused(message))
  })

  test.each([
    ['plain http to a host that starts like loopback', 'http://127.0.0.1.example.com'],
    ['plain http to a host that ends like localhost', 'http://not-localhost'],
    ['plain http to a host that starts with localhost', 'http://localhost.example.com'],
    ['another scheme', 'ftp://127.0.0.1/token'],
  ])('%s is refused', (_name, baseUrl) => {
    expect(build({ baseUrl })).toThrow(refused(/^baseUrl must use https \(plain http is accepted only for loopback hosts/))
  })

  test('a user name alone in the URL is refused too', () => {
    expect(build({ baseUrl: 'https://user@token.example.com' })).toThrow(refused(/must not carry credentials/))
    expect(build({ baseUrl: 'https://:pw@token.example.com' })).toThrow(refused(/must not carry credentials/))
  })
})

describe('options a factory accepts', () => {
  test.each<[string, Record<string, unknown>]>([
    ['one concurrent request', { maxConcurrentRequests: 1 }],
    ['no refresh-ahead, no buffer, no extra cooldown', { refreshAheadMs: 0, expiryBufferMs: 0, credentialsCooldownMs: 0 }],
    ['retries without waits', { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, deadlineMs: 1, random: () => 0 } }],
    ['a store without a lock', { store: { get: async () => undefined, set: async () => 1, compareAndSet: async () => 1, delete: async () => {}, getMarker: async () => undefined, setMarker: async () => {} } }],
    ['a clock without sleep', { clock: { now: () => 0 } }],
    ['a fetch of its own', { fetch: globalThis.fetch }],
    ['an onEvent', { onEvent: () => {} }],
  ])('%s', (_name, options) => {
    expect(build(options)).not.toThrow()
  })

  test.each([
    ['loopback by name, in capitals', 'http://LOCALHOST:8080', 'http://localhost:8080'],
    ['any 127/8 address', 'http://127.1.2.3:9', 'http://127.1.2.3:9'],
    ['trailing slashes, a query and a fragment', 'https://token.example.com/base///?a=1#x', 'https://token.example.com/base'],
  ])('%s: %s', (_name, baseUrl, want) => {
    expect(build({ baseUrl })().baseUrl).toBe(want)
  })
})

describe('environments', () => {
  const profile = defineProfile({ ...testProfile, environments: { production: 'https://api.example.com/v2/', sandbox: 'https://sandbox.example.com', test: null } })
  const auth = (options: Record<string, unknown>) => () => createCarrierAuth(profile, { clientId: 'c', clientSecret: SECRET, ...options } as never)

  test("a named environment uses the carrier's host, without its trailing slash, and says which it is", () => {
    const a = auth({ environment: 'production' })()
    expect([a.baseUrl, a.environment]).toEqual(['https://api.example.com/v2', 'production'])
  })

  test('an unknown one is refused with the names there are', () => {
    expect(auth({ environment: 'staging' })).toThrow(refused(/^Unknown testcarrier environment: use one of production, sandbox, test, or pass baseUrl\.$/))
  })

  test('neither one is refused with the names there are', () => {
    expect(auth({})).toThrow(refused(/^Pass environment \(production, sandbox, test\) or baseUrl to the testcarrier factory\.$/))
  })

  test('an environment without a published host names it and asks for its base URL', () => {
    expect(auth({ environment: 'test' })).toThrow(refused(/^TestCarrier publishes no host for the "test" environment: pass its base URL as baseUrl \(the one TestCarrier gave you\)\.$/))
  })

  test('both at once are refused', () => {
    expect(auth({ environment: 'sandbox', baseUrl: 'https://x.example.com' })).toThrow(refused(/^Pass either environment or baseUrl to the testcarrier factory, not both\.$/))
  })
})
