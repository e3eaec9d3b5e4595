// The three checks every runtime must pass, driven from Node over loopback HTTP against the app the
// runtime serves. Times are real but short: this runs real runtimes, with real timers.

/**
 * Emulator token lifetime and the provider's windows: refresh-ahead from 4 s, never served after
 * 7 s. The cold burst has 4 s to be answered before a refresh-ahead may legitimately start.
 */
export const TOKEN_TTL_SECONDS = 8
const EXPIRY_BUFFER_MS = 1000
const REFRESH_AHEAD_MS = 4000
/** A request that takes longer than this is counted as hung. */
const HANG_MS = 5000

export const CHECKS = ['gets a token', '20 concurrent cold calls → 1 token request', 'refresh-ahead, then more requests']

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

async function call(app, path, init) {
  try {
    const response = await fetch(`${app}${path}`, { ...init, signal: AbortSignal.timeout(HANG_MS) })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined }
  } catch (error) {
    return { status: 0, hung: error?.name === 'TimeoutError', body: { error: String(error?.name ?? error) } }
  }
}

/** A new module-level auth in the app: a cold cache. */
async function setup(app, emulator, waitUntil) {
  const settings = {
    baseUrl: emulator.url,
    ...emulator.credentials,
    refreshAheadMs: REFRESH_AHEAD_MS,
    expiryBufferMs: EXPIRY_BUFFER_MS,
    waitUntil,
  }
  const r = await call(app, '/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) })
  if (r.status !== 204) throw new Error(`setup answered ${r.status}`)
}

const describe = (r) => (r.hung ? `hung (> ${HANG_MS / 1000} s)` : r.status === 200 ? 'ok' : `${r.status} ${r.body?.error ?? ''}`.trim())

/**
 * Runs every check against `app` (its base URL); each result is `{ ok, detail }`. `foreground`:
 * the call that starts a refresh-ahead is expected to wait for it (Workers without waitUntil).
 */
export async function runChecks(app, emulator, { waitUntil = false, foreground = false } = {}) {
  const results = {}
  const requests = () => emulator.stats.tokenRequests

  await setup(app, emulator, waitUntil)
  let before = requests()
  const one = await call(app, '/token')
  results[CHECKS[0]] = {
    ok: one.status === 200 && typeof one.body?.id === 'string' && requests() - before === 1,
    detail: `${describe(one)}, ${requests() - before} token request(s)`,
  }

  await setup(app, emulator, waitUntil)
  before = requests()
  const burst = await Promise.all(Array.from({ length: 20 }, () => call(app, '/token')))
  const served = burst.filter((r) => r.status === 200)
  const ids = new Set(served.map((r) => r.body.id))
  const burstRequests = requests() - before
  results[CHECKS[1]] = {
    ok: served.length === 20 && ids.size === 1 && burstRequests === 1,
    detail: `${served.length}/20 served, ${ids.size} distinct token(s), ${burstRequests} token request(s)`,
  }

  results[CHECKS[2]] = await refreshAhead(app, served[0]?.body, requests, foreground)
  return results
}

/**
 * From the burst's token: one call inside the refresh-ahead window (it starts the refresh), then a
 * call every 250 ms until past the moment the old token stops being served. Every call must be
 * answered, the last with a new token, and the refresh must be one token request.
 */
async function refreshAhead(app, first, requests, foreground) {
  if (!first) return { ok: false, detail: 'no token to refresh' }
  const before = requests()
  await sleep(first.expiresAt - REFRESH_AHEAD_MS + 500 - Date.now())
  const answers = [await call(app, '/token')]
  while (Date.now() < first.expiresAt - EXPIRY_BUFFER_MS + 500) {
    await sleep(250)
    answers.push(await call(app, '/token'))
  }
  const failed = answers.filter((r) => r.status !== 200)
  const last = answers.at(-1)
  const refreshes = requests() - before
  const renewed = last.status === 200 && last.body.id !== first.id
  // In the background the starting call is served the current token; in the foreground, the new one.
  const startedIn = answers[0].status !== 200 ? 'failed' : answers[0].body.id === first.id ? 'background' : 'foreground'
  const detail = failed.length
    ? `${failed.length}/${answers.length} calls failed: ${[...new Set(failed.map(describe))].join(', ')}`
    : `${answers.length}/${answers.length} calls served, refreshed in the ${startedIn}, ${renewed ? 'renewed' : 'not renewed'}, ${refreshes} token request(s)`
  const ok = failed.length === 0 && renewed && refreshes === 1 && startedIn === (foreground ? 'foreground' : 'background')
  return { ok, detail }
}
