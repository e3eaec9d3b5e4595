import openapiFetch from 'openapi-fetch'

/**
 * openapi-fetch's `createClient`, in both of core's builds. openapi-fetch's CommonJS file sets
 * `exports.default` without an `__esModule` marker, so in core's CJS build (a `type: module`
 * package, bundled in Node interop mode) the default import is its whole `module.exports`, and the
 * function sits one level deeper. The ESM build gets the function directly.
 */
export const createClient = ((openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch) as typeof openapiFetch
