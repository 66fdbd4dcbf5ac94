-- V4: split full_name into given_name and family_name (expand step of expand/contract).
-- The new columns stay nullable while application versions that only write full_name still run;
-- V7 drops full_name once none does.
ALTER TABLE accounts
    ADD COLUMN given_name  TEXT,
    ADD COLUMN family_name TEXT;

-- Backfill: the first word is the given name, the rest (if any) the family name.
-- "Ada King Lovelace" -> ('Ada', 'King Lovelace'); "Cher" -> ('Cher', NULL).
-- One UPDATE is fine for the small tables this service has; on a large table, backfill in batches
-- from a job instead, so no migration holds row locks on the whole table (see docs/runner.md).
-- The V2 trigger bumps updated_at on every backfilled row, on purpose: the row did change, and
-- consumers that sync by updated_at must pick up the new columns.
UPDATE accounts
   SET given_name  = split_part(btrim(full_name), ' ', 1),
       family_name = nullif(btrim(substr(btrim(full_name),
                                         length(split_part(btrim(full_name), ' ', 1)) + 1)), '')
 WHERE given_name IS NULL;

COMMENT ON COLUMN accounts.given_name IS 'Given name; split from full_name by V4.';
COMMENT ON COLUMN accounts.family_name IS 'Family name, NULL for single-word names; split from full_name by V4.';
COMMENT ON COLUMN accounts.full_name IS 'Deprecated: replaced by given_name and family_name, dropped in V7.';
