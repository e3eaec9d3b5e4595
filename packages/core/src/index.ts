export { AccessToken, fromStored, toStored } from './access-token.js'
export { createManualClock, systemClock, timerSleep } from './clock.js'
export { carrierFactory, createCarrierAuth } from './create-carrier-auth.js'
export { CarrierAuthError } from './errors.js'
export { refuseWhereRequestsHaveContexts } from './background.js'
export { MAX_TOKEN_ANSWER_BYTES } from './guarded-fetch.js'
export { accountKey } from './cache-key.js'
export { forgetAccount } from './ledger.js'
export { clearLedger } from './ledger-markers.js'
export { formatEvent, levelOf } from './debug-log.js'
export { MemoryStore } from './memory-store.js'
export { clientCredentials, type ClientAuthentication, type ClientCredentialsProfile } from './client-credentials.js'
export { basicAuthorization, defineProfile, formRequest, formUrlEncoded, readNumber, readOAuthToken } from './profile.js'
export { redactBody, REDACTED, scrub } from './redaction.js'
export { backoffDelay, parseRetryAfter, resolveRetry } from './retry.js'
export { describeDriverError, StoreError } from './store-error.js'
export { storedTokenCodec } from './stored-token-codec.js'

export type { AccessTokenFields, StoredToken } from './access-token.js'
export type { Clock, ManualClock } from './clock.js'
export type { CarrierAuthOptions, CommonOptions, EndpointOption } from './config.js'
export type { CarrierAuth, CarrierAuthFactoryOptions, CarrierFactory } from './create-carrier-auth.js'
export type { CarrierAccounts, CarrierAccountsOptions } from './accounts.js'
export type { AccountParts } from './cache-key.js'
export type { CarrierAuthErrorCode, CarrierAuthErrorInit } from './errors.js'
export type { CarrierAuthLogger, LogLevel } from './debug-log.js'
export type { CarrierAuthEvent, CarrierAuthEventType, EventListener, RequestReason } from './events.js'
export type { CarrierPolicy, CarrierProfile, CredentialIdentity, Grant, TokenCall, TokenFields } from './profile.js'
export type { RetryOptions } from './retry.js'
export type { StoreEntry, StoreLock, TokenStore } from './store.js'
export type { DecryptToken, EncodedToken, EncryptToken, StoredTokenCodec, TokenSealing } from './stored-token-codec.js'
export type { GetTokenOptions, TokenProvider } from './token-provider.js'
export { constantTimeEqual, createAuthorizationCodeAuth, randomState } from './authorization-code.js'
export type { AuthorizationCodeAuth, AuthorizeUrlOptions, ExchangeCodeOptions } from './authorization-code.js'
export type {
  AccountLockout,
  CarrierEmulation,
  CarrierModule,
  EmulatedRequest,
  EmulatorDefinition,
  EmulatorEnv,
  EmulatorReply,
  IssuedToken,
  MatrixEntry,
  OperationHandler,
  Redemption,
  SingleUseSecrets,
  TokenEndpointAnswers,
  TokenEndpointRules,
} from './carrier-module.js'
