import { accountSafety } from './account-safety.js'
import { concurrency } from './concurrency.js'
import { errors } from './errors.js'
import { expiry } from './expiry.js'
import { fleet } from './fleet.js'
import { hostileAnswers } from './hostile-answers.js'
import { hosts } from './hosts.js'
import { lockout } from './lockout.js'
import { reuse } from './reuse.js'
import { rotation } from './rotation.js'
import type { Scenario } from './scenario.js'
import { secrets } from './secrets.js'

/** The catalogue, in the order the matrix shows it. */
export const catalogue: readonly Scenario[] = [...reuse, ...hosts, ...expiry, ...concurrency, ...errors, ...secrets, ...lockout, ...accountSafety, ...hostileAnswers, ...rotation, ...fleet]

export type { Applicability, Scenario, ScenarioContext } from './scenario.js'
