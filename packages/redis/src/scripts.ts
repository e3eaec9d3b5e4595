import { createHash } from 'node:crypto'

/** A Lua script, sent by SHA-1 (EVALSHA) and by body only when the server has not seen it yet. */
export interface Script {
  readonly name: string
  readonly body: string
  readonly sha: string
}

function script(name: string, body: string): Script {
  return { name, body, sha: createHash('sha1').update(body).digest('hex') }
}

/**
 * KEYS[1] token hash. Returns nil, or { version, data, enc, pttl } read atomically, so the
 * in-memory layer can expire its copy exactly when Redis expires the entry.
 */
export const READ = script(
  'read',
  `local h = redis.call('HMGET', KEYS[1], 'v', 'data', 'enc')
if not h[1] or not h[2] then return nil end
return { h[1], h[2], h[3] or '', redis.call('PTTL', KEYS[1]) }`,
)

/**
 * KEYS[1] token hash, KEYS[2] version counter.
 * ARGV: ttl ms, counter ttl ms, fingerprint, data, enc flag, expected version ('' = unconditional).
 * The counter outlives the entry, so a version is never reused for a key (no ABA on
 * compare-and-set after an expiry or a delete). Returns the new version, or nil when the
 * expected version did not match (0 = absent) — except when the entry already holds this very
 * token (same fingerprint): then it returns the current version, so a compare-and-set retried
 * after a timeout whose first try landed reports the write it made (retry-safe).
 */
export const WRITE = script(
  'write',
  `local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0') or 0
if ARGV[6] ~= '' and tonumber(ARGV[6]) ~= current then
  if current > 0 and redis.call('HGET', KEYS[1], 'fp') == ARGV[3] then return current end
  return nil
end
local v = redis.call('INCR', KEYS[2])
if v <= current then
  v = current + 1
  redis.call('SET', KEYS[2], v)
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', v, 'fp', ARGV[3], 'data', ARGV[4], 'enc', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return v`,
)

/** KEYS[1] token hash; ARGV[1] fingerprint ('' = delete whatever is there). Returns 1 when deleted. */
export const DELETE = script(
  'delete',
  `if ARGV[1] == '' or redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
)

/**
 * KEYS[1] lock; ARGV: owner token, ttl ms. Returns { 1, ttl } when taken, else { 0, pttl } of
 * the current holder (so a waiter can wake up when a dead holder's lock expires).
 */
export const LOCK = script(
  'lock',
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return { 1, tonumber(ARGV[2]) } end
return { 0, redis.call('PTTL', KEYS[1]) }`,
)

/**
 * KEYS[1] lock; ARGV: owner token, release channel. Deletes the lock only while it is still ours,
 * and then tells the waiters (PUBLISH reaches every node of a cluster). Returns 1 when released.
 */
export const UNLOCK = script(
  'unlock',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], '1')
return 1`,
)

/**
 * KEYS[1] lock; ARGV: owner token, ttl ms. A compare-and-pexpire: renews the lease to ttl ms from
 * now only while it is still ours (1), else 0 (it expired, and may be someone else's now).
 */
export const EXTEND = script(
  'extend',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
)
