import type { TokenStore } from '../store.js'
import { check, expectThat, HOUR_MS, sampleToken, within } from './check.js'

const operations: [string, (store: TokenStore, token: string) => Promise<unknown> | undefined][] = [
  ['get', (s) => s.get('outage')],
  ['set', (s, t) => s.set('outage', sampleToken('outage', { accessToken: t }), HOUR_MS)],
  ['compareAndSet', (s, t) => s.compareAndSet('outage', 0, sampleToken('outage', { accessToken: t }), HOUR_MS)],
  ['delete', (s, t) => s.delete('outage', t)],
  ['getMarker', (s) => s.getMarker('outage')],
  ['setMarker', (s) => s.setMarker('outage', 1, HOUR_MS)],
  ['lock', (s) => s.lock?.('outage', HOUR_MS)],
]

/** A store whose backend is unreachable fails each call with a typed error, within a bound. */
export const outageChecks = [
  check('outage.typed-error', 'with the backend unreachable, every operation fails within the bound with a typed error that holds no token', async ({ subject }) => {
    if (typeof subject.outage === 'string') return
    const store = await subject.outage.open()
    try {
      for (const [name, run] of operations) {
        const token = `contract-outage-token-${name}-${Math.random().toString(36).slice(2)}`
        const call = run(store, token)
        if (call === undefined) continue // no lock on this store
        const outcome = await within(call, subject.outage.boundMs)
        expectThat(outcome.settled, `${name} was still waiting after ${subject.outage.boundMs} ms`)
        expectThat(outcome.error instanceof Error, `${name} should fail, it answered`)
        const error = outcome.error as Error & { code?: unknown }
        expectThat(typeof error.code === 'string', `${name} should fail with a typed error (a string code), got ${error.name}`)
        expectThat(!`${error.message} ${String(error.stack)}`.includes(token), `the ${name} error should not hold the token`)
      }
    } finally {
      await subject.outage.close?.(store)
    }
  }, { needs: ['outage'] }),
]
