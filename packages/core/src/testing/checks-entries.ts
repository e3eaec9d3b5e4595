import { afterTtl, check, expectThat, HOUR_MS, sampleToken } from './check.js'

const CONCURRENT_WRITERS = 16

/** get / set / TTL / versions / compare-and-set / delete. */
export const entryChecks = [
  check('entries.get-missing', 'get of a key never written is undefined', async ({ stores: [store], key }) => {
    expectThat((await store!.get(key('never'))) === undefined, 'get of an unknown key should be undefined')
  }),

  check('entries.set-get', 'set returns a version; get returns the same token and version', async ({ stores: [store], key }) => {
    const token = sampleToken('set-get', { scope: 'contacts invoices', refreshToken: 'contract-refresh-1' })
    const version = await store!.set(key('k'), token, HOUR_MS)
    expectThat(Number.isSafeInteger(version) && version > 0, `set should return a positive integer version, got ${version}`)
    const entry = await store!.get(key('k'))
    expectThat(entry !== undefined, 'get after set should find the entry')
    expectThat(entry.version === version, `get should return version ${version}, got ${entry.version}`)
    for (const field of ['accessToken', 'expiresAt', 'issuedAt', 'scope', 'refreshToken'] as const) {
      expectThat(entry.token[field] === token[field], `get should return the stored ${field}`)
    }
  }),

  check('entries.shared', 'a write through one handle is read through another', async ({ stores: [a, b], key }) => {
    const token = sampleToken('shared')
    const version = await a!.set(key('k'), token, HOUR_MS)
    const entry = await b!.get(key('k'))
    expectThat(entry?.token.accessToken === token.accessToken && entry.version === version, 'the other handle should read the entry and its version')
  }, { handles: 2 }),

  check('entries.ttl', 'an entry is gone after its TTL; a longer-lived one stays', async (ctx) => {
    const [store] = ctx.stores
    await store!.set(ctx.key('short'), sampleToken('short'), 1)
    const long = sampleToken('long')
    await store!.set(ctx.key('long'), long, HOUR_MS)
    await afterTtl(ctx, 1, async () => (await store!.get(ctx.key('short'))) === undefined, 'an entry with a 1 ms TTL should be gone')
    expectThat((await store!.get(ctx.key('long')))?.token.accessToken === long.accessToken, 'an entry with a 1 h TTL should still be there')
  }),

  check('entries.version-grows', 'every write of a key gives a greater version', async ({ stores: [store], key }) => {
    const v1 = await store!.set(key('k'), sampleToken('v1'), HOUR_MS)
    const v2 = await store!.set(key('k'), sampleToken('v2'), HOUR_MS)
    const v3 = await store!.compareAndSet(key('k'), v2, sampleToken('v3'), HOUR_MS)
    expectThat(v2 > v1 && v3 !== undefined && v3 > v2, `versions should grow: ${v1}, ${v2}, ${v3}`)
  }),

  check('entries.version-after-delete', 'a version is never reused after a delete (no ABA on compare-and-set)', async ({ stores: [store], key }) => {
    const before = await store!.set(key('k'), sampleToken('before'), HOUR_MS)
    await store!.delete(key('k'))
    const after = await store!.set(key('k'), sampleToken('after'), HOUR_MS)
    expectThat(after > before, `the write after a delete got version ${after}, not above the ${before} it had before`)
    expectThat((await store!.compareAndSet(key('k'), before, sampleToken('stale'), HOUR_MS)) === undefined, 'a compare-and-set on the version from before the delete should fail')
  }),

  check('entries.cas-absent', 'compareAndSet(0) writes only while the key is absent', async ({ stores: [store], key }) => {
    const first = await store!.compareAndSet(key('k'), 0, sampleToken('first'), HOUR_MS)
    expectThat(first !== undefined && first > 0, 'compareAndSet(0) on an absent key should write')
    expectThat((await store!.compareAndSet(key('k'), 0, sampleToken('second'), HOUR_MS)) === undefined, 'compareAndSet(0) on a present key should not write')
  }),

  check('entries.cas-expired', 'an expired entry counts as absent for compareAndSet(0)', async (ctx) => {
    const [store] = ctx.stores
    await store!.set(ctx.key('k'), sampleToken('old'), 1)
    await afterTtl(ctx, 1, async () => (await store!.get(ctx.key('k'))) === undefined, 'the 1 ms entry should expire')
    expectThat((await store!.compareAndSet(ctx.key('k'), 0, sampleToken('new'), HOUR_MS)) !== undefined, 'compareAndSet(0) should write over an expired entry')
  }),

  check('entries.cas-stale', 'compareAndSet on an old version fails and keeps the newer entry', async ({ stores: [store], key }) => {
    const v1 = await store!.set(key('k'), sampleToken('v1'), HOUR_MS)
    const newer = sampleToken('newer')
    expectThat((await store!.compareAndSet(key('k'), v1, newer, HOUR_MS)) !== undefined, 'compareAndSet on the current version should write')
    expectThat((await store!.compareAndSet(key('k'), v1, sampleToken('stale'), HOUR_MS)) === undefined, 'compareAndSet on the old version should fail')
    expectThat((await store!.get(key('k')))?.token.accessToken === newer.accessToken, 'the newer entry should be kept')
  }),

  check(
    'entries.cas-concurrent',
    `${CONCURRENT_WRITERS} concurrent compareAndSet on one version, from several handles: exactly one wins`,
    async ({ stores, key }) => {
      const v1 = await stores[0]!.set(key('k'), sampleToken('v1'), HOUR_MS)
      const candidates = Array.from({ length: CONCURRENT_WRITERS }, (_, i) => sampleToken(`candidate-${i}`))
      const outcomes = await Promise.all(candidates.map((token, i) => stores[i % stores.length]!.compareAndSet(key('k'), v1, token, HOUR_MS)))
      const winners = outcomes.flatMap((version, i) => (version === undefined ? [] : [i]))
      expectThat(winners.length === 1, `exactly one compareAndSet should win, ${winners.length} did`)
      for (const store of stores) {
        const entry = await store.get(key('k'))
        expectThat(entry?.token.accessToken === candidates[winners[0]!]!.accessToken, 'every handle should read the winner')
      }
    },
    { handles: 4 },
  ),

  check('entries.delete', 'delete removes the entry', async ({ stores: [store], key }) => {
    await store!.set(key('k'), sampleToken('k'), HOUR_MS)
    await store!.delete(key('k'))
    expectThat((await store!.get(key('k'))) === undefined, 'get after delete should be undefined')
    await store!.delete(key('never-written'))
  }),

  check('entries.delete-if-token', 'delete(key, token) removes the entry only while it holds that token', async ({ stores: [a, b], key }) => {
    const held = sampleToken('held')
    await a!.set(key('k'), held, HOUR_MS)
    await b!.delete(key('k'), sampleToken('other').accessToken)
    expectThat((await b!.get(key('k')))?.token.accessToken === held.accessToken, 'delete with another token should keep the entry')
    await b!.delete(key('k'), held.accessToken)
    expectThat((await b!.get(key('k'))) === undefined, 'delete with the held token should remove the entry')
  }, { handles: 2 }),
]
