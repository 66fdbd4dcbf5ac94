-- V1: the accounts table, one row per customer account.
-- Runs in one transaction: the table, its constraints and its comments appear together or not at all.
CREATE TABLE accounts (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      TEXT        NOT NULL,
    full_name  TEXT        NOT NULL,
    status     TEXT        NOT NULL DEFAULT 'active',
    -- TIMESTAMPTZ stores an instant; plain TIMESTAMP would depend on each client's time zone.
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- A check constraint rather than an enum type: adding a status later is one migration that
    -- swaps the constraint, with no ALTER TYPE ... ADD VALUE restrictions.
    CONSTRAINT accounts_status_check CHECK (status IN ('active', 'suspended', 'closed'))
);

COMMENT ON TABLE accounts IS 'Customer accounts of the accounts service.';
COMMENT ON COLUMN accounts.email IS 'Login address; unique once normalised (V5, V6).';
COMMENT ON COLUMN accounts.full_name IS 'Name as the customer typed it.';
COMMENT ON COLUMN accounts.status IS 'active, suspended (login refused) or closed (kept for audit).';
COMMENT ON COLUMN accounts.updated_at IS 'Last change to the row; maintained by a trigger from V2.';
