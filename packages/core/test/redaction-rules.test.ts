import { describe, expect, test } from 'vitest'
import { redactBody, REDACTED, scrub } from '../src/index.js'
import { useFixture } from './support/fixture.js'
import { createTestAuth, SECRET } from './support/test-profile.js'

describe('redactBody', () => {
  test.each(['access_token', 'refresh_token', 'client_secret', 'Password', 'Authorization', 'apikey', 'api_key', 'x-api-key', 'credentials', 'code'])(
    'a field named %s is redacted whatever it holds',
    (key) => {
      expect(redactBody({ [key]: { nested: 'value' } })).toEqual({ [key]: REDACTED })
    },
  )

  test.each(['zipcode', 'code_challenge_method', 'error_code', 'status'])('a field named %s is kept', (key) => {
    expect(redactBody({ [key]: 'value' })).toEqual({ [key]: 'value' })
  })

  test('numbers, booleans and null are kept as they are', () => {
    expect(redactBody({ a: 1, b: false, c: null, d: [2, true] })).toEqual({ a: 1, b: false, c: null, d: [2, true] })
  })

  test('four levels of nesting are kept; what lies deeper is redacted whole', () => {
    expect(redactBody({ a: { b: { c: { d: 'kept' } } } })).toEqual({ a: { b: { c: { d: 'kept' } } } })
    expect(redactBody({ a: { b: { c: { d: { e: { f: 'gone' } } } } } })).toEqual({ a: { b: { c: { d: { e: REDACTED } } } } })
  })

  test('a string of 512 characters is kept; a longer one is cut there', () => {
    expect(redactBody('x'.repeat(512))).toBe('x'.repeat(512))
    expect(redactBody('x'.repeat(513))).toBe(`${'x'.repeat(512)}…`)
  })

  test('nested arrays count as nesting too', () => {
    expect(redactBody([[[['kept']]]])).toEqual([[[['kept']]]])
    expect(redactBody([[[[['gone']]]]])).toEqual([[[[[REDACTED]]]]])
  })

  test('without secrets given, no text is scrubbed', () => {
    expect(redactBody({ note: 'Stryker was here' })).toEqual({ note: 'Stryker was here' })
  })

  test('an array keeps its first 20 items', () => {
    const items = Array.from({ length: 25 }, (_, i) => i)
    expect(redactBody(items)).toEqual(items.slice(0, 20))
  })

  test('a known secret is scrubbed from values and from keys', () => {
    expect(redactBody({ [`user-${SECRET}`]: `echo ${SECRET}` }, 0, [SECRET])).toEqual({ [`user-${REDACTED}`]: `echo ${REDACTED}` })
  })
})

describe('scrub', () => {
  test('replaces every occurrence of each secret of 4 characters or more', () => {
    expect(scrub('abcd-abcd-xyz1', ['abcd', 'xyz1'])).toBe(`${REDACTED}-${REDACTED}-${REDACTED}`)
  })

  test('leaves secrets shorter than 4 characters and absent ones alone', () => {
    expect(scrub('abc a b', ['abc', '', undefined])).toBe('abc a b')
  })
})

describe('the answer an error keeps', () => {
  const f = useFixture()

  test('keeps status and harmless headers; secret-looking headers, cookies and echoed secrets are redacted', async () => {
    f.server.queue({ status: 400, body: { error: 'invalid_request' }, headers: { 'set-cookie': 'sid=1', 'x-api-key': 'k-1', 'x-echo': `got ${SECRET}`, 'x-request-id': 'r-1' } })
    const error = (await createTestAuth({ baseUrl: f.server.url, clock: f.clock }).getToken().catch((e: unknown) => e)) as { response: Response }
    const { response } = error
    expect(response.status).toBe(400)
    expect(response.headers.get('set-cookie')).toBe(REDACTED)
    expect(response.headers.get('x-api-key')).toBe(REDACTED)
    expect(response.headers.get('x-echo')).toBe(`got ${REDACTED}`)
    expect(response.headers.get('x-request-id')).toBe('r-1')
    expect(await response.text()).toBe('')
  })
})
