import Ajv2020 from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { acceptAdmits } from './accept.js'
import { isJsonMediaType, isRecord, mediaType, parseBasicAuth, parseBearer, parseForm, parseJson } from './wire.js'

type Node = Record<string, unknown>

export interface RequestSample {
  method: string
  /** Relative to the spec's server URL (its base path already removed). */
  path: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface ResponseSample {
  status: number
  /** Lower-case names. */
  headers: Record<string, string | undefined>
  body: string
}

export interface OperationRef {
  readonly method: string
  readonly path: string
  readonly operation: Node
}

// OpenAPI's own schema keywords, which JSON Schema validators must tolerate but not evaluate.
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs']
const IGNORED_HEADERS = ['accept', 'content-type', 'authorization']
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/**
 * Validates requests and responses against one OpenAPI 3.1 document. Every schema is compiled when
 * the validator is built, so a spec that ajv cannot read fails at startEmulator, not mid-request.
 */
export class SpecValidator {
  /** Path of the first server URL (`/v2` for PostFinance), which request paths are relative to. */
  readonly basePath: string
  private readonly ajv = new Ajv2020({ allErrors: true, strictTypes: false })
  private readonly compiled = new WeakMap<object, ValidateFunction>()

  constructor(private readonly doc: Node) {
    this.ajv.addVocabulary(OPENAPI_KEYWORDS)
    this.ajv.addFormat('uri', (value: string) => URL.canParse(value))
    this.ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)))
    const servers = Array.isArray(doc.servers) ? doc.servers : []
    const firstUrl = isRecord(servers[0]) && typeof servers[0].url === 'string' ? servers[0].url : '/'
    this.basePath = new URL(firstUrl, 'http://base.invalid').pathname.replace(/\/$/, '')
    for (const op of this.operations()) this.compileOperation(op.operation)
  }

  operations(): OperationRef[] {
    const paths = isRecord(this.doc.paths) ? this.doc.paths : {}
    return Object.entries(paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((m) => isRecord(this.deref(item)[m])).map((method) => ({
        method: method.toUpperCase(),
        path,
        operation: this.deref(this.deref(item)[method]),
      })),
    )
  }

  pathOf(operationId: string): string {
    const op = this.operations().find((o) => o.operation.operationId === operationId)
    if (!op) throw new Error(`the spec has no operation ${operationId}`)
    return op.path
  }

  hasPath(path: string): boolean {
    return this.operations().some((o) => pathMatches(o.path, path))
  }

  operation(method: string, path: string): OperationRef | undefined {
    return this.operations().find((o) => o.method === method.toUpperCase() && pathMatches(o.path, path))
  }

  validateRequest(op: OperationRef, req: RequestSample): string[] {
    const problems: string[] = []
    for (const param of this.parameters(op)) {
      const name = String(param.name)
      // OpenAPI 3.1 §4.8.12.1: these header parameters "SHALL be ignored"; x-carrier-auth-accept states Accept.
      if (param.in === 'header' && IGNORED_HEADERS.includes(name.toLowerCase())) continue
      const raw =
        param.in === 'query' ? (req.query.get(name) ?? undefined)
        : param.in === 'header' ? firstHeader(req.headers[name.toLowerCase()])
        : undefined
      if (raw === undefined) {
        if (param.required === true) problems.push(`${param.in} parameter ${name} is required but missing`)
        continue
      }
      if (isRecord(param.schema)) problems.push(...this.check(param.schema, coerce(raw, this.inlined(param.schema)), `${param.in} parameter ${name}`))
    }
    problems.push(...this.checkAccept(op, firstHeader(req.headers.accept)))
    if (!this.securitySatisfied(op, req.headers)) problems.push('authorization does not satisfy the operation security requirement')
    problems.push(...this.checkRequestBody(op, req))
    return problems
  }

  validateResponse(op: OperationRef, res: ResponseSample): string[] {
    const responses = this.deref(op.operation.responses)
    const key = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((k) => k in responses)
    if (!key) return [`${res.status}: the status is not documented`]
    const response = this.deref(responses[key])
    const problems: string[] = []
    for (const [name, header] of Object.entries(this.deref(response.headers))) {
      const definition = this.deref(header)
      const value = res.headers[name.toLowerCase()]
      if (value === undefined) {
        if (definition.required === true) problems.push(`header ${name} is required but missing`)
      } else if (isRecord(definition.schema)) {
        problems.push(...this.check(definition.schema, coerce(value, this.inlined(definition.schema)), `header ${name}`))
      }
    }
    problems.push(...this.checkContent(this.deref(response.content), res.headers['content-type'], res.body, false, 'body'))
    return problems.map((p) => `${res.status}: ${p}`)
  }

  /** `x-carrier-auth-accept`: the request's Accept must admit a media type of the success answer. */
  private checkAccept(op: OperationRef, accept: string | undefined): string[] {
    const rule = this.deref(op.operation['x-carrier-auth-accept'])
    if (Object.keys(rule).length === 0) return []
    if (accept === undefined) return rule.required === true ? ['header Accept is required but missing'] : []
    const responses = this.deref(op.operation.responses)
    const success = Object.keys(responses).filter((status) => /^2(\d\d|XX)$/.test(status))
    const offered = [...new Set(success.flatMap((status) => Object.keys(this.deref(this.deref(responses[status]).content)).map((t) => mediaType(t) ?? t)))]
    return acceptAdmits(accept, offered) ? [] : [`header Accept admits none of ${offered.join(', ')}`]
  }

  private checkRequestBody(op: OperationRef, req: RequestSample): string[] {
    const requestBody = this.deref(op.operation.requestBody)
    const hasBody = req.body.length > 0
    if (!('content' in requestBody)) return hasBody ? ['the operation takes no request body'] : []
    if (!hasBody) return requestBody.required === true ? ['request body is required but missing'] : []
    return this.checkContent(this.deref(requestBody.content), firstHeader(req.headers['content-type']), req.body, true, 'request body')
  }

  private checkContent(content: Node, contentType: string | undefined, body: string, isRequest: boolean, where: string): string[] {
    const declared = Object.keys(content)
    if (declared.length === 0) return body.length > 0 && !isRequest ? [`${where} is not documented`] : []
    const key = matchMediaType(mediaType(contentType), declared)
    if (!key) return [`content type ${mediaType(contentType) ?? '(none)'} is not one of ${declared.join(', ')}`]
    const schema = this.deref(content[key]).schema
    if (!isRecord(schema)) return []
    const type = mediaType(contentType)
    if (isJsonMediaType(type)) {
      const parsed = parseJson(body)
      return parsed === undefined ? [`${where} is not valid JSON`] : this.check(schema, parsed, where)
    }
    if (type === 'application/x-www-form-urlencoded') return this.check(schema, parseForm(body), where)
    return this.check(schema, body, where)
  }

  private parameters(op: OperationRef): Node[] {
    const item = this.deref(this.deref(this.doc.paths)[op.path])
    const all = [...asArray(item.parameters), ...asArray(op.operation.parameters)].map((p) => this.deref(p))
    // Operation-level parameters override path-level ones with the same name and location.
    const byKey = new Map(all.map((p) => [`${String(p.in)}:${String(p.name).toLowerCase()}`, p]))
    return [...byKey.values()]
  }

  private securitySatisfied(op: OperationRef, headers: RequestSample['headers']): boolean {
    const requirements = asArray(op.operation.security ?? this.doc.security)
    if (requirements.length === 0) return true
    const schemes = this.deref(this.deref(this.doc.components).securitySchemes)
    const authorization = firstHeader(headers.authorization)
    return requirements.some((requirement) =>
      Object.keys(this.deref(requirement)).every((name) => {
        const scheme = this.deref(schemes[name])
        if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'basic') return parseBasicAuth(authorization) !== undefined
        if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') return parseBearer(authorization) !== undefined
        if (scheme.type === 'apiKey' && scheme.in === 'header') return firstHeader(headers[String(scheme.name).toLowerCase()]) !== undefined
        return authorization !== undefined
      }),
    )
  }

  private compileOperation(operation: Node): void {
    const schemas: unknown[] = []
    for (const p of asArray(operation.parameters)) schemas.push(this.deref(p).schema)
    for (const media of Object.values(this.deref(this.deref(operation.requestBody).content))) schemas.push(this.deref(media).schema)
    for (const response of Object.values(this.deref(operation.responses))) {
      const r = this.deref(response)
      for (const media of Object.values(this.deref(r.content))) schemas.push(this.deref(media).schema)
      for (const header of Object.values(this.deref(r.headers))) schemas.push(this.deref(header).schema)
    }
    for (const schema of schemas) if (isRecord(schema)) this.validatorFor(schema)
  }

  private check(schema: Node, value: unknown, where: string): string[] {
    const validate = this.validatorFor(schema)
    return validate(value) ? [] : [...new Set((validate.errors ?? []).map((e) => describe(e, where)))]
  }

  private validatorFor(schema: Node): ValidateFunction {
    let validate = this.compiled.get(schema)
    if (!validate) {
      validate = this.ajv.compile(this.inlined(schema))
      this.compiled.set(schema, validate)
    }
    return validate
  }

  private inlined(schema: Node): Node {
    const copy = this.inline(schema, [])
    return isRecord(copy) ? copy : {}
  }

  /** A copy of the schema with every local `$ref` replaced by its target (the specs have no cycles). */
  private inline(node: unknown, trail: string[]): unknown {
    if (Array.isArray(node)) return node.map((n) => this.inline(n, trail))
    if (!isRecord(node)) return node
    if (typeof node.$ref === 'string') {
      if (trail.includes(node.$ref)) throw new Error(`cyclic $ref ${node.$ref} is not supported`)
      return this.inline(this.resolve(node.$ref), [...trail, node.$ref])
    }
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => !key.startsWith('x-'))
        .map(([key, value]) => [key, this.inline(value, trail)]),
    )
  }

  /** Follows `$ref` chains (responses, parameters, headers); `{}` for anything absent. */
  private deref(node: unknown): Node {
    let current = node
    for (let hops = 0; isRecord(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 32) throw new Error(`$ref chain too long at ${current.$ref}`)
      current = this.resolve(current.$ref)
    }
    return isRecord(current) ? current : {}
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`)
    let current: unknown = this.doc
    for (const token of ref.slice(2).split('/')) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~')
      current = isRecord(current) ? current[key] : undefined
      if (current === undefined) throw new Error(`unresolvable $ref ${ref}`)
    }
    return current
  }
}

function pathMatches(template: string, path: string): boolean {
  if (!template.includes('{')) return template === path
  const pattern = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')
  return new RegExp(`^${pattern}$`).test(path)
}

function matchMediaType(actual: string | undefined, declared: string[]): string | undefined {
  if (!actual) return undefined
  const [type] = actual.split('/')
  return (
    declared.find((d) => mediaType(d) === actual) ??
    declared.find((d) => mediaType(d) === `${type}/*`) ??
    declared.find((d) => mediaType(d) === '*/*')
  )
}

/** Header and query values are strings on the wire; schemas may type them as numbers or booleans. */
function coerce(value: string, schema: Node): unknown {
  const branches = [schema, ...asArray(schema.oneOf), ...asArray(schema.anyOf)]
  const types = new Set(branches.flatMap((s) => (isRecord(s) ? [s.type].flat() : [])))
  if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

// Messages name the failing location and rule only, never the value: requests carry secrets.
function describe(error: ErrorObject, where: string): string {
  return `${where}${error.instancePath} ${error.message ?? 'is invalid'}`
}
