import type { EmulatorEnv, EmulatorRequest, OperationHandler } from './carrier.js'
import { factsOf } from '../facts.js'
import { FaultQueue, transportFaultReply } from './faults.js'
import { Lockout } from './lockout.js'
import { definitionOf, specValidator } from './registry.js'
import { hostileToken, oversizedToken } from './hostile.js'
import { emptyReply, jsonReply, oauthError, serialise, textReply, type Reply } from './reply.js'
import { RESOURCE_PATH, resourceReply } from './resource.js'
import { withStandardHeaders } from './standard-headers.js'
import { HttpServer, type IncomingRequest, type Respond } from './server.js'
import { AccessTokenLedger, mintCredential, mintToken, SingleUseSecrets } from './tokens.js'
import { tokenEndpoint } from './token-endpoint.js'
import type { CarrierName, Emulator, EmulatorCredentials, EmulatorOptions, EmulatorStats, Fault } from './types.js'
import { firstHeader, requestContext } from './request-context.js'
import { recordViolation } from './violation-log.js'
import { isRecord } from './wire.js'

/** Starts a faithful local emulator of one carrier's token endpoint on 127.0.0.1. */
export async function startEmulator<C extends CarrierName>(carrier: C, options: EmulatorOptions<C> = {}): Promise<Emulator<C>> {
  const found = definitionOf(carrier)
  if (!found) throw new TypeError(`unknown carrier: ${String(carrier)}`)
  const definition = found
  const fields = { accessToken: found.accessTokenField ?? 'access_token', lifetime: found.lifetimeField ?? 'expires_in' }
  const facts = factsOf(carrier)
  const ttlSeconds = options.tokenTtlSeconds ?? facts.accessTokenLifetimeSeconds
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0) throw new RangeError('tokenTtlSeconds must be a non-negative integer')

  // Carriers without Basic ignore it; the rest read it as their spec's facts say unless told otherwise.
  const basicCredentials = options.basicCredentials ?? facts.basicCredentials ?? 'raw'
  const validator = specValidator(carrier)
  const clock = options.clock ?? { now: () => Date.now() }
  const overrides = Object.fromEntries(Object.entries(options.credentials ?? {}).filter(([, v]) => v !== undefined))
  const credentials = Object.freeze({ ...definition.createCredentials(mintCredential), ...overrides }) as Readonly<EmulatorCredentials[C]>
  const stats: EmulatorStats = {
    tokenRequests: 0,
    failedLogins: 0,
    refreshTokenUses: 0,
    refreshTokenReplays: 0,
    resourceRequests: 0,
    redirectTargetRequests: 0,
    oversizedBodies: [],
  }
  const ledger = new AccessTokenLedger(clock, ttlSeconds)
  const faults = new FaultQueue()
  const requestViolations: string[] = []
  const issuedSecrets: string[] = []
  const responseViolations: string[] = []
  const tokenPath = validator.pathOf('requestAccessToken')

  const server = new HttpServer(
    (req, respond) => {
      const from = requestViolations.length
      // Every answer is reported once, with the violations its request left (carrier-auth emulate logs it).
      const reported: Respond = (reply, sendOptions) => {
        options.onRequest?.({ method: req.method, path: req.url.pathname, status: reply.drop ? 0 : reply.status, violations: requestViolations.slice(from) })
        respond(reply, sendOptions)
      }
      guard(reported, () => route(req, reported))
    },
    () => clock.now(),
    (problem) => {
      recordViolation(requestViolations, problem)
      options.onRequest?.({ method: '?', path: '?', status: 400, violations: [problem] })
    },
  )
  const baseUrl = () => server.origin + validator.basePath
  const env: EmulatorEnv<EmulatorCredentials[C]> = {
    credentials,
    clock,
    stats,
    redirectUris: options.redirectUris,
    facts,
    issue: () => {
      const token = ledger.issue()
      issuedSecrets.push(token.accessToken)
      return token
    },
    remember: (secret) => {
      issuedSecrets.push(secret)
    },
    urlOf: (operationId) => baseUrl() + validator.pathOf(operationId),
    mintToken,
    singleUse: (ttlMs) => new SingleUseSecrets(clock, ttlMs, env.remember),
    lockout: (maxFailures, periodMs) => new Lockout(clock, maxFailures, periodMs),
    json: jsonReply,
    text: textReply,
    empty: (status, headers) => emptyReply(status, headers),
    oauthError,
    tokenEndpoint: (rules) => tokenEndpoint(env, rules),
  }
  const emulation = definition.create(env)

  // A throwing handler is an emulator bug: answer 500 so the client sees something, and make the
  // test that asserts on responseViolations fail.
  function guard(respond: Respond, run: () => void): void {
    try {
      run()
    } catch (error) {
      recordViolation(responseViolations, `emulator error: ${error instanceof Error ? error.message : String(error)}`)
      respond(jsonReply(500, { error: 'server_error' }))
    }
  }

  function route(req: IncomingRequest, respond: Respond): void {
    const path = req.url.pathname
    if (path === RESOURCE_PATH) {
      stats.resourceRequests++
      return respond(resourceReply(req.method, firstHeader(req.headers.authorization), ledger))
    }
    const relative = path.startsWith(`${validator.basePath}/`) ? path.slice(validator.basePath.length) : undefined
    const isTokenPath = relative === tokenPath
    if (isTokenPath) stats.tokenRequests++
    const op = relative === undefined ? undefined : validator.operation(req.method, relative)
    const handler = typeof op?.operation.operationId === 'string' ? emulation.operations[op.operation.operationId] : undefined
    if (!op || !handler) {
      recordViolation(requestViolations, `${req.method} ${path}: no such operation in the spec`)
      const allowed = validator.operations().filter((o) => o.path === relative).map((o) => o.method)
      return respond(
        allowed.length > 0
          ? jsonReply(405, { error: 'method_not_allowed' }, 'application/json', { allow: allowed.join(', ') })
          : jsonReply(404, { error: 'not_found' }),
      )
    }
    const sample = { method: req.method, path: relative ?? path, query: req.url.searchParams, headers: req.headers, body: req.body }
    for (const problem of validator.validateRequest(op, sample)) recordViolation(requestViolations, `${req.method} ${path}: ${problem}`)

    const answer = (reply: Reply) => {
      if (!reply.offSpec) {
        const sent = { status: reply.status, headers: reply.headers, body: serialise(reply) }
        const excused = reply.omitted === undefined ? undefined : `body must have required property '${reply.omitted}'`
        for (const problem of validator.validateResponse(op, sent)) {
          if (!excused || !problem.endsWith(excused)) recordViolation(responseViolations, `${req.method} ${path} answered ${problem}`)
        }
      }
      respond(reply, { gzip: definition.gzip ?? false })
    }
    if (!isTokenPath) return answer(handler(context(req, false)))
    const standard = (reply: Reply) =>
      facts.oauth2Standard && !reply.offSpec ? withStandardHeaders(reply, carrier, req.headers.authorization?.toLowerCase().startsWith('basic ') ?? false) : reply
    const fault = faults.take()
    if (fault?.type === 'slow') return server.schedule(fault.delayMs, () => guard(respond, () => answer(standard(handler(context(req, false))))))
    if (fault?.type === 'slow_rejection') {
      // Judged (and counted, Posti's lockout included) now; only the answer is late.
      const rejection = standard(handler(context(req, true)))
      return server.schedule(fault.delayMs, () => guard(respond, () => answer(rejection)))
    }
    if (fault?.type === 'redirect') {
      return answer(emptyReply(fault.status, { location: `${redirectTarget.origin}${req.url.pathname}?redirected=${fault.status}` }, true))
    }
    answer(standard(answerToken(req, handler, fault)))
  }

  // The other origin of a `redirect` fault: it answers like this emulator (so a client that follows
  // gets a token from the wrong place) and counts every request that reaches it.
  const otherCarrier = definition.create(env)
  const redirectTarget = new HttpServer((req, respond) => {
    stats.redirectTargetRequests++
    // Not the carrier: what fails here is no failed login of the carrier's account.
    const elsewhere = requestContext(req, { rejectCredentials: false, basicCredentials, failedLogin: () => {}, violation: () => {} })
    guard(respond, () => respond(otherCarrier.operations.requestAccessToken(elsewhere)))
  })

  function answerToken(req: IncomingRequest, handler: OperationHandler, fault: Fault | undefined): Reply {
    const transport = fault && transportFaultReply(fault, clock)
    if (transport) return transport
    const reply = handler(context(req, fault?.type === 'invalid_credentials'))
    if (fault?.type === 'missing_access_token') return withoutField(reply, fields.accessToken, (token) => ledger.withdraw(token))
    if (fault?.type === 'missing_expires_in') return withoutField(reply, fields.lifetime)
    if (fault?.type === 'hostile_token') return hostileToken(reply, fault.variant, fields)
    if (fault?.type === 'oversized_body') {
      const oversized = oversizedToken(reply, fault.bytes ?? 50 * 1024 * 1024, fields.accessToken)
      const progress = { bytesSent: 0, complete: false, finished: false }
      stats.oversizedBodies.push(progress)
      if (oversized.stream) oversized.stream.report = (bytesSent, complete) => Object.assign(progress, { bytesSent, complete, finished: true })
      return oversized
    }
    return reply
  }

  function context(req: IncomingRequest, rejectCredentials: boolean): EmulatorRequest {
    return requestContext(req, {
      rejectCredentials,
      basicCredentials,
      failedLogin: () => {
        stats.failedLogins++
      },
      violation: (problem) => {
        recordViolation(requestViolations, `${req.method} ${req.url.pathname}: ${problem}`)
      },
    })
  }

  await server.listen(options.port ?? 0)
  await redirectTarget.listen(0)
  const emulator: Emulator<C> = {
    carrier,
    url: baseUrl(),
    tokenUrl: baseUrl() + tokenPath,
    redirectTargetUrl: redirectTarget.origin,
    resourceUrl: server.origin + RESOURCE_PATH,
    credentials,
    stats,
    issuedTokens: ledger.issued,
    issuedSecrets,
    requestViolations,
    responseViolations,
    inject: (fault) => faults.push(fault),
    revokeAccessTokens: () => ledger.revokeAll(),
    isLocked: () => emulation.isLocked?.() ?? false,
    close: async () => {
      await Promise.all([server.close(), redirectTarget.close()])
    },
    ...(emulation.authorize ? { authorize: emulation.authorize } : {}),
  }
  return emulator
}

/** A success body without one field: the token went missing on the way (or the carrier omitted it). */
function withoutField(reply: Reply, field: string, onRemoved?: (value: string) => void): Reply {
  if (reply.status !== 200 || !isRecord(reply.json) || !(field in reply.json)) return reply
  const { [field]: removed, ...rest } = reply.json
  onRemoved?.(String(removed))
  return { ...reply, json: rest, omitted: field }
}
