import { postgresMissing, skipOrFailPostgres } from '@carrier-auth/testing-stores'
import { serverGlobalSetup } from '@carrier-auth/testing-stores/global-setup'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean
  }
}

/**
 * The tests need the machine's PostgreSQL (127.0.0.1:5432, database `test`). Without it they are
 * skipped with ONE loud line, unless CARRIER_AUTH_REQUIRE_POSTGRES=1 (CI) makes that a failure.
 */
export default serverGlobalSetup({ flag: 'postgresAvailable', suite: 'every @carrier-auth/postgres test', missing: postgresMissing, skipOrFail: skipOrFailPostgres })
