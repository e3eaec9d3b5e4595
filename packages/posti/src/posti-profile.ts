import { clientCredentials } from '@carrier-auth/core'
import type { paths } from './generated/posti.js'

/** Posti service account credentials, as Posti names them. */
export interface PostiCredentials {
  username: string
  password: string
}

export type PostiEnvironment = 'qa' | 'uat' | 'prod'

const HOUR = 3_600_000

/**
 * Posti's token endpoint. The doc blanks its hosts; these are the ones public integrations use
 * (FACTS.md). `grant_type` travels in the form body, as the doc's own curl example sends it
 * (the server also accepts it as a query parameter).
 */
export const postiProfile = clientCredentials<paths, PostiCredentials, PostiEnvironment>({
  carrier: 'posti',
  displayName: 'Posti',
  environments: {
    qa: 'https://oauth2.barium.posti.com',
    uat: 'https://oauth2.barium.posti.com',
    prod: 'https://oauth2.posti.com',
  },
  path: '/oauth/token',
  id: 'username',
  secret: 'password',
  send: 'basic',
  // Accept as every example of the doc sends it (the spec states it in x-carrier-auth-accept).
  headers: () => ({ Accept: 'application/json' }),
  policy: {
    // "Default expiration time is one hour"; the doc's example says 3599 s, the safer of the two.
    defaultLifetimeMs: 3_599_000,
    refreshAheadMs: 5 * 60_000,
    // A rejected password is not sent again for 20 minutes (a floor users cannot lower).
    credentialsCooldownMs: HOUR / 3,
    // "account is locked for 1 hour after 5 invalid login attempts": the ledger allows at most 4
    // failed or unanswered logins of one account in any rolling hour, so the 5th is never sent.
    lockout: { failures: 5, windowMs: HOUR },
  },
})
