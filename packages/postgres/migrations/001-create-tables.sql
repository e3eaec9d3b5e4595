-- @carrier-auth/postgres: the store's tables. Run once before the store is used, by hand
-- (psql -f) or with migrate(pool). It is idempotent. migrate(pool, { schema, table }) runs this
-- same SQL with "public" and "carrier_auth" replaced by your schema and table prefix.
-- No column ever holds a secret: keys are SHA-256 hashes of carrier-auth's cache keys (which hold
-- a hash of the credentials, never the credentials), and data is the token's JSON, or its
-- ciphertext when the store is given encrypt/decrypt.

CREATE SCHEMA IF NOT EXISTS "public";

-- One row per cache key. A delete or an expiry empties data and keeps the row, so version
-- never goes back (compare-and-set cannot be fooled by a key that was deleted and written again).
CREATE TABLE IF NOT EXISTS "public"."carrier_auth_tokens" (
  key          text        PRIMARY KEY,
  version      bigint      NOT NULL,
  fingerprint  text,
  data         text,
  sealed       boolean     NOT NULL DEFAULT false,
  expires_at   timestamptz NOT NULL,
  keep_until   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "carrier_auth_tokens_keep_until" ON "public"."carrier_auth_tokens" (keep_until);

-- Small shared numbers with a lifetime (cooldowns, the account ledger's records).
CREATE TABLE IF NOT EXISTS "public"."carrier_auth_markers" (
  key         text             PRIMARY KEY,
  value       double precision NOT NULL,
  expires_at  timestamptz      NOT NULL
);
CREATE INDEX IF NOT EXISTS "carrier_auth_markers_expires_at" ON "public"."carrier_auth_markers" (expires_at);

-- The fleet lock: one lease per key, held by owner until expires_at (the server's clock).
CREATE TABLE IF NOT EXISTS "public"."carrier_auth_locks" (
  key         text        PRIMARY KEY,
  owner       text        NOT NULL,
  expires_at  timestamptz NOT NULL
);
