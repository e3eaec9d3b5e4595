import type { CarrierEmulation, EmulatorEnv, EmulatorRequest, TokenEndpointAnswers, TokenEndpointRules } from './carrier.js'
import type { Reply } from './reply.js'

type Credentials = Record<string, unknown>

/**
 * RFC 6749 §5.2's answers to the usual mistakes, in a carrier's error body. The wording is the
 * emulator's (the carriers that use it document no error texts of their own): an assumption.
 */
function standardAnswers(body: (status: number, code: string, description: string) => Reply): TokenEndpointAnswers {
  return {
    badCredentials: body(401, 'invalid_client', 'Client authentication failed.'),
    malformed: body(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.'),
    missingGrantType: body(400, 'invalid_request', 'Missing grant_type.'),
    unsupportedGrantType: () => body(400, 'unsupported_grant_type', 'Only client_credentials is allowed.'),
  }
}

/**
 * The usual client-credentials token endpoint, run from a carrier module's rules: one order of
 * checks for every carrier, so the carriers differ only in where the client travels and what
 * each mistake is answered with.
 */
export function tokenEndpoint<C>(env: EmulatorEnv<C>, rules: TokenEndpointRules<C>): CarrierEmulation {
  const credentials = env.credentials as Readonly<Credentials>
  const expected = (field: string) => String(credentials[field] ?? '')
  const facts = env.facts.lockout
  const lockout = rules.lockout && facts ? env.lockout(facts.maxFailedLogins, facts.durationSeconds * 1000) : undefined
  const errorBody = rules.errorBody ?? ((status: number, code: string, description: string) => env.oauthError(status, code, description))
  const answers = { ...standardAnswers(errorBody), ...rules.answers }

  /** The request's shape: a form body (unless the grant may come in the query), the grant, the required fields. */
  const judgeRequest = (req: EmulatorRequest): Reply | undefined => {
    const form = req.form()
    if (!form && !rules.grantTypeInQuery) return answers.malformed
    const grantType = (rules.grantTypeInQuery ? req.url.searchParams.get('grant_type') : undefined) ?? form?.grant_type
    if (!grantType) {
      if (rules.grantTypeInQuery) req.violation('grant_type is in neither the query nor the form body')
      return answers.missingGrantType
    }
    if (grantType !== 'client_credentials') return answers.unsupportedGrantType(grantType)
    for (const [field, rule] of Object.entries(rules.requiredFields ?? {})) {
      if (!form?.[field]) return rule.missing
      if (form[field] !== rule.value) return rule.wrong
    }
    return undefined
  }

  /** The client: its Basic header or its form fields, compared in constant time; a failure counts as a failed login. */
  const judgeClient = (req: EmulatorRequest): Reply | undefined => {
    if ('basic' in rules.client) {
      const [id, secret] = rules.client.basic
      const basic = req.basic()
      if (!basic && answers.noClient) {
        req.failedLogin()
        return answers.noClient
      }
      const valid = req.basicMatches(expected(id), expected(secret))
      // Keyed on the account as decoded: `a-b` and its form-encoded `a%2Db` are one account.
      const account = req.basicAccount() ?? basic?.user ?? ''
      if (valid && !lockout?.isLocked(account)) return undefined
      req.failedLogin()
      lockout?.recordFailure(account)
      return answers.badCredentials
    }
    const form = req.form() ?? {}
    const pairs = Object.entries(rules.client.form).map(([field, credential]) => [expected(credential), form[field]] as const)
    if (pairs.some(([, presented]) => !presented)) return answers.malformed
    if (req.credentialsMatch(pairs)) return undefined
    req.failedLogin()
    return answers.badCredentials
  }

  /** Headers that must match a credential when they are sent (an optional merchant id). */
  const judgeHeaders = (req: EmulatorRequest): Reply | undefined => {
    for (const [header, rule] of Object.entries(rules.checkedHeaders ?? {})) {
      const sent = req.headers[header]
      if (sent !== undefined && sent !== expected(rule.credential)) return rule.wrong
    }
    return undefined
  }

  return {
    operations: {
      requestAccessToken(req) {
        const first = rules.requestFirst ? judgeRequest(req) ?? judgeClient(req) : judgeClient(req) ?? judgeRequest(req)
        return first ?? judgeHeaders(req) ?? rules.success(env.issue(), env.credentials)
      },
    },
    ...(lockout ? { isLocked: () => lockout.isLocked(expected((rules.client as { basic: readonly [string, string] }).basic[0])) } : {}),
  }
}
