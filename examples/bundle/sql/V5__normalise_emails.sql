-- V5: store emails trimmed and in lower case, so "Ada@Example.com " and "ada@example.com" are one
-- login. The constraint keeps it that way for every writer; the unique index follows in V6.
-- Only rows that change are touched (and get a new updated_at from the V2 trigger).
UPDATE accounts
   SET email = lower(btrim(email))
 WHERE email <> lower(btrim(email));

ALTER TABLE accounts
    ADD CONSTRAINT accounts_email_normalised CHECK (email = lower(btrim(email)));
