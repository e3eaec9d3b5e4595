// Plain JavaScript with no ioredis import, like ./cluster-nodes.js: the conformance matrix bundles
// it for its fleet cells, and the tests use it through ./index.ts.

/** Deletes every key under a test's prefix (SCAN, never KEYS: the shared Redis may be large). */
export async function deleteKeys(client, prefix) {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    if (keys.length) await client.del(...keys)
  } while (cursor !== '0')
}
