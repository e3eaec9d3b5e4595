import { carriers } from '@carrier-auth/conformance'
import { baseUrlVariable, credentialVariables } from './carrier-config.js'

/** The per-carrier lines of --help, from the registry: variables and the default environment. */
export function carrierTable(): string {
  const width = Math.max(...carriers.map((c) => c.name.length)) + 2
  return carriers
    .map((c) => {
      const baseUrl = baseUrlVariable(c)
      return `  ${c.name.padEnd(width)}${credentialVariables(c).join(', ')}  (default --env ${c.live.environment}${baseUrl ? `; its base URL from ${baseUrl}` : ''})`
    })
    .join('\n')
}
