import { redisMissing, skipOrFail } from '@carrier-auth/testing-redis'
import { serverGlobalSetup } from '../../../../testing/stores/src/global-setup.js'

declare module 'vitest' {
  export interface ProvidedContext {
    redisAvailable: boolean
  }
}

/**
 * The tests need a real redis-server on 127.0.0.1:6379. Without one they are skipped with ONE
 * loud line, unless CARRIER_AUTH_REQUIRE_REDIS=1 (CI), which turns the skip into a failure.
 */
export default serverGlobalSetup({ flag: 'redisAvailable', suite: 'every @carrier-auth/redis test', missing: redisMissing, skipOrFail })
