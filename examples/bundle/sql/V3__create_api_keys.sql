-- V3: API keys; an account has any number of them, and they go when the account is deleted.
CREATE TABLE api_keys (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT      NOT NULL
                 CONSTRAINT api_keys_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    key_hash     BYTEA       NOT NULL CONSTRAINT api_keys_key_hash_key UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

-- PostgreSQL does not index the referencing side of a foreign key; without this index every
-- account delete scans api_keys. A plain CREATE INDEX is fine here: the table is new and empty.
CREATE INDEX api_keys_account_id_idx ON api_keys (account_id);

COMMENT ON TABLE api_keys IS 'API keys of an account; only a hash of each key is stored.';
COMMENT ON COLUMN api_keys.key_hash IS 'SHA-256 of the key; the key itself is shown once and never stored.';
COMMENT ON COLUMN api_keys.revoked_at IS 'Set when the key is revoked; revoked keys are kept for audit.';
