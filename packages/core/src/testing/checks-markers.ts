import { afterTtl, check, expectThat, HOUR_MS, sampleToken } from './check.js'

/** Markers: small shared numbers with a lifetime (cooldowns, the account ledger's records). */
export const markerChecks = [
  check('markers.set-get', 'a marker reads back, a newer value replaces it, an unknown one is undefined', async ({ stores: [a, b], key }) => {
    expectThat((await b!.getMarker(key('m'))) === undefined, 'an unknown marker should be undefined')
    await a!.setMarker(key('m'), 1_767_225_600_123, HOUR_MS)
    expectThat((await b!.getMarker(key('m'))) === 1_767_225_600_123, 'another handle should read the marker value exactly')
    await a!.setMarker(key('m'), 7, HOUR_MS)
    expectThat((await b!.getMarker(key('m'))) === 7, 'a newer marker value should replace the old one')
  }, { handles: 2 }),

  check('markers.ttl', 'a marker is gone after its TTL; a longer-lived one stays', async (ctx) => {
    const [store] = ctx.stores
    await store!.setMarker(ctx.key('short'), 1, 1)
    await store!.setMarker(ctx.key('long'), 2, HOUR_MS)
    await afterTtl(ctx, 1, async () => (await store!.getMarker(ctx.key('short'))) === undefined, 'a marker with a 1 ms TTL should be gone')
    expectThat((await store!.getMarker(ctx.key('long'))) === 2, 'a marker with a 1 h TTL should still be there')
  }),

  check('markers.apart-from-entries', 'a marker and an entry under one key do not touch each other', async ({ stores: [store], key }) => {
    const token = sampleToken('beside-marker')
    await store!.set(key('k'), token, HOUR_MS)
    await store!.setMarker(key('k'), 3, HOUR_MS)
    await store!.delete(key('k'))
    expectThat((await store!.getMarker(key('k'))) === 3, 'deleting the entry should keep the marker')
    await store!.set(key('k'), token, HOUR_MS)
    expectThat((await store!.get(key('k')))?.token.accessToken === token.accessToken && (await store!.getMarker(key('k'))) === 3, 'entry and marker should both be readable')
  }),
]
