-- V8: the language and region an account's emails and pages are in, for version 1.1.0 of the
-- orders API (examples/roll-forward/40-gated-app.yaml requires this revision).
-- Runs in one transaction. Adding a column with a constant default is a change to the catalog
-- only since PostgreSQL 11 (no table rewrite); the CHECK constraint is validated by one scan of
-- accounts under the ALTER's lock, which lock_timeout bounds.
ALTER TABLE accounts
    ADD COLUMN locale TEXT NOT NULL DEFAULT 'en'
        -- A BCP 47 language tag as the app writes them: a language, optionally a region
        -- ('en', 'de', 'pt-BR'). A check constraint, not an enum, as for status in V1.
        CONSTRAINT accounts_locale_check CHECK (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$');

COMMENT ON COLUMN accounts.locale IS 'BCP 47 language tag (language, optional region) for emails and pages; en until the customer picks one.';
