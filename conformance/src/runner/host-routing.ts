import type { Emulator } from '../emulators/index.js'

/** A `fetch` that stands in for DNS: the carrier's documented hosts lead to the emulator. */
export interface HostRouting {
  fetch: typeof fetch
  /** Every URL the package asked for, as it asked for it (before routing). */
  readonly requested: string[]
}

/**
 * Routes requests for the documented base URLs (the spec's servers) to the emulator and records the
 * URL the package built. A URL on any other host is refused, never sent anywhere: a typo in a
 * profile's host then fails the request instead of reaching the network.
 */
export function routeDocumentedHosts(emulator: Emulator, hosts: Record<string, string | null>): HostRouting {
  const requested: string[] = []
  const documented = [...new Set(Object.values(hosts).filter((h): h is string => h !== null))]
  const routed: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    requested.push(request.url)
    const base = documented.find((host) => request.url === host || request.url.startsWith(`${host}/`) || request.url.startsWith(`${host}?`))
    if (!base) throw new TypeError(`fetch failed: ${new URL(request.url).host} is not a documented host of this carrier`)
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
    return fetch(emulator.url + request.url.slice(base.length), {
      method: request.method,
      headers: request.headers,
      body,
      redirect: request.redirect,
      signal: request.signal,
    })
  }
  return { fetch: routed, requested }
}
