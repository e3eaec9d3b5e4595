import { describe, expect, test } from 'vitest'
import { carrierNames } from '../../src/emulators/index.js'
import { specValidator } from '../../src/emulators/registry.js'
import type { OperationRef, SpecValidator } from '../../src/emulators/spec-validator.js'

type Node = Record<string, unknown>
const entries = (value: unknown) => Object.entries((value ?? {}) as Node) as [string, Node][]

function op(validator: SpecValidator, method: string, path: string): OperationRef {
  const found = validator.operation(method, path)
  if (!found) throw new Error(`no ${method} ${path}`)
  return found
}

function tokenOp(carrier: (typeof carrierNames)[number]) {
  const validator = specValidator(carrier)
  return { validator, op: op(validator, 'POST', validator.pathOf('requestAccessToken')) }
}

const response = (status: number, contentType: string | undefined, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

/** Each documented example, as the response it describes. */
function responseExamples(operation: OperationRef) {
  return entries(operation.operation.responses).flatMap(([status, res]) =>
    entries(res.content).flatMap(([media, content]) => entries(content.examples).map(([name, example]) => ({ status: Number(status), media, name, value: example.value }))),
  )
}

describe.each(carrierNames)('%s spec', (carrier) => {
  test('every response example of the spec validates against its own schema', () => {
    const { validator, op: operation } = tokenOp(carrier)
    const examples = responseExamples(operation)
    expect(examples.length).toBeGreaterThan(0)
    for (const example of examples) {
      expect([example.name, validator.validateResponse(operation, response(example.status, example.media, example.value))]).toEqual([example.name, []])
    }
  })

  test('every request example of the spec validates against its own schema', () => {
    const { validator, op: operation } = tokenOp(carrier)
    const content = entries((operation.operation.requestBody as Node).content)
    for (const [media, body] of content) {
      for (const [name, example] of entries(body.examples)) {
        const value = example.value as Record<string, string>
        const text = media === 'application/json' ? JSON.stringify(value) : new URLSearchParams(value).toString()
        const headers = { 'content-type': media, authorization: `Basic ${btoa('id:secret')}`, accept: 'application/json' }
        expect([name, validator.validateRequest(operation, { method: 'POST', path: operation.path, query: new URLSearchParams(), headers, body: text })]).toEqual([name, []])
      }
    }
  })

  test('flags an undocumented status', () => {
    const { validator, op: operation } = tokenOp(carrier)
    expect(validator.validateResponse(operation, response(418, 'application/json', {}))).toEqual(['418: the status is not documented'])
  })

  test('accepts any body for a 5XX', () => {
    const { validator, op: operation } = tokenOp(carrier)
    expect(validator.validateResponse(operation, response(502, 'text/html', '<html></html>'))).toEqual([])
  })

  test('checks Retry-After on a 429 against its schema', () => {
    const { validator, op: operation } = tokenOp(carrier)
    const r429 = (value: string) => validator.validateResponse(operation, response(429, 'application/json', {}, { 'retry-after': value }))
    expect(r429('120')).toEqual([])
    expect(r429('Wed, 21 Oct 2015 07:28:00 GMT')).toEqual([])
    expect(r429('-5')).not.toEqual([])
  })
})

describe('response checks', () => {
  test('flags a success body without its required token', () => {
    const { validator, op: operation } = tokenOp('posti')
    expect(validator.validateResponse(operation, response(200, 'application/json', { token_type: 'bearer', expires_in: 3599 }))).toEqual([
      "200: body must have required property 'access_token'",
    ])
  })

  test('flags a Pitney Bowes expiresIn sent as a number', () => {
    const { validator, op: operation } = tokenOp('pitney-bowes')
    const body = { access_token: 'abcdefghijklmnopqrstuvwxyz0123', issuedAt: '1', expiresIn: 35999 }
    expect(validator.validateResponse(operation, response(200, 'application/json', body))).toEqual(['200: body/expiresIn must be string'])
  })

  test('flags a content type the spec does not document, ignoring parameters', () => {
    const { validator, op: operation } = tokenOp('dhl-ecommerce')
    const problem = { type: 'https://api-sandbox.dhlecs.com/docs/errors/400.0000005', title: 'Invalid credentials' }
    expect(validator.validateResponse(operation, response(400, 'application/json', problem))).toEqual([
      '400: content type application/json is not one of application/problem+json',
    ])
    expect(validator.validateResponse(operation, response(400, 'application/problem+json; charset=utf-8', problem))).toEqual([])
  })

  test('flags a body that is not JSON under a JSON media type', () => {
    const { validator, op: operation } = tokenOp('packly')
    expect(validator.validateResponse(operation, response(200, 'application/json; charset=utf-8', '{"token'))).toEqual(['200: body is not valid JSON'])
  })

  test('flags a redirect without its required Location header', () => {
    const validator = specValidator('postfinance')
    expect(validator.validateResponse(op(validator, 'GET', '/auth/authorize'), response(302, undefined, ''))).toEqual([
      '302: header Location is required but missing',
    ])
  })
})

describe('request checks', () => {
  const sample = (headers: Record<string, string>, body: string, query = '') => ({
    method: 'POST',
    path: '',
    query: new URLSearchParams(query),
    headers,
    body,
  })

  test('checks a discriminated oneOf body by its grant_type', () => {
    const { validator, op: operation } = tokenOp('postfinance')
    const body = JSON.stringify({ grant_type: 'authorization_code', client_id: 'a', client_secret: 'b', scope: 'c', code: 'd' })
    expect(validator.validateRequest(operation, { ...sample({ 'content-type': 'application/json' }, body), path: operation.path }).join('\n')).toMatch(
      /request body must have required property 'redirect_uri'/,
    )
  })

  test('flags a missing required body', () => {
    const { validator, op: operation } = tokenOp('dhl-ecommerce')
    expect(validator.validateRequest(operation, sample({}, ''))).toEqual(['request body is required but missing'])
  })

  test('flags missing required query parameters', () => {
    const validator = specValidator('postfinance')
    const authorize = op(validator, 'GET', '/auth/authorize')
    const problems = validator.validateRequest(authorize, { ...sample({}, '', 'scope=a&client_id=b&redirect_uri=c&state=d'), method: 'GET' })
    expect(problems).toEqual(['query parameter response_type is required but missing'])
  })

  test('describes violations without the values sent', () => {
    const { validator, op: operation } = tokenOp('dhl-ecommerce')
    const body = new URLSearchParams({ grant_type: 'top-secret-grant', client_id: 'top-secret-id', client_secret: '' }).toString()
    const problems = validator.validateRequest(operation, sample({ 'content-type': 'application/x-www-form-urlencoded' }, body))
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.join('\n')).not.toMatch(/top-secret/)
  })
})
