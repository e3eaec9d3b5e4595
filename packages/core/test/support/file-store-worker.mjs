// One process sharing a FileStore file with others, on the BUILT package (dist). The test drives
// it over IPC: { id, op, ...args } → { id, result } (or { id, error }). Ops:
//   set-keys  { prefix, count }      writes count distinct keys, one after another
//   set-one   { key, count }         writes one key count times; answers the versions it got
//   cas       { key, successes }     read + compareAndSet until it won `successes` times;
//                                    answers every { expected, won } it tried
//   count     { key, count, ttlMs }  count × (lock, read the counter, write counter + 1, release)
//   count-marker { key, count, ttlMs } the same with a marker (a login-attempt ledger's shape)
//   hold      { key, ttlMs }         takes the lock and keeps it (never released)
//   extend    { ttlMs }              extends the held lock; answers true / false
//   take      { key, ttlMs }         waits for the lock; answers the time it got it
import { FileStore } from '../../dist/node/file-store.js'

const store = new FileStore({ path: process.env.FILE_STORE_PATH })
const token = (accessToken) => ({ accessToken, expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() })
const hour = 3_600_000
let held

const ops = {
  async 'set-keys'({ prefix, count }) {
    for (let i = 0; i < count; i++) await store.set(`${prefix}${i}`, token(`${prefix}${i}`), hour)
  },
  async 'set-one'({ key, count }) {
    const versions = []
    for (let i = 0; i < count; i++) versions.push(await store.set(key, token(`${process.pid}-${i}`), hour))
    return versions
  },
  async cas({ key, successes }) {
    const tries = []
    let won = 0
    while (won < successes) {
      const expected = (await store.get(key))?.version ?? 0
      const version = await store.compareAndSet(key, expected, token(`${process.pid}-${won}`), hour)
      tries.push({ expected, won: version !== undefined })
      if (version !== undefined) won++
    }
    return tries
  },
  async count({ key, count, ttlMs }) {
    for (let i = 0; i < count; i++) {
      const lock = await store.lock(`${key}#lock`, ttlMs)
      const n = Number((await store.get(key))?.token.accessToken ?? '0')
      // Widen the read-then-write window: without exclusion another process writes in between.
      await new Promise((resolve) => setTimeout(resolve, 1))
      await store.set(key, token(String(n + 1)), hour)
      await lock.release()
    }
  },
  async 'count-marker'({ key, count, ttlMs }) {
    for (let i = 0; i < count; i++) {
      const lock = await store.lock(`${key}#lock`, ttlMs)
      const n = (await store.getMarker(key)) ?? 0
      await new Promise((resolve) => setTimeout(resolve, 1))
      await store.setMarker(key, n + 1, hour)
      await lock.release()
    }
  },
  async hold({ key, ttlMs }) {
    held = await store.lock(key, ttlMs)
  },
  async extend({ ttlMs }) {
    return held.extend(ttlMs)
  },
  async take({ key, ttlMs }) {
    const lock = await store.lock(key, ttlMs)
    const at = Date.now()
    await lock.release()
    return at
  },
}

process.on('message', async ({ id, op, ...args }) => {
  try {
    process.send({ id, result: await ops[op](args) })
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) })
  }
})
process.send({ ready: true })
