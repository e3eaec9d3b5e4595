/**
 * The store contract suite: every property a `TokenStore` must have for a fleet to share tokens,
 * as named checks any test framework can run (`defineStoreContract(subject, { describe, test })`),
 * or a plain runner (`runStoreContract(subject)`), and the store × check matrix.
 *
 * `@carrier-auth/core/testing`: run it on a store of your own.
 */
export { defineStoreContract, runStoreCheck, runStoreContract, storeChecks } from './contract.js'
export { renderStoreMatrix } from './matrix.js'
export { notApplicable } from './subject.js'
export { afterTtl, expectThat, sampleToken, StoreContractFailure } from './check.js'

export type { CheckContext, StoreCheck } from './check.js'
export type { StoreCheckOutcome, StoreCheckResult, StoreColumn, TestHooks } from './contract.js'
export type { StoreCapability, StoreSubject } from './subject.js'
