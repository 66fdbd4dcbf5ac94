-- U7: undo "drop accounts full name": rebuild full_name from its parts as it was before V7
-- (NOT NULL, with V4's comment). It comes back as the table's last column; nothing depends on
-- column order.
ALTER TABLE accounts ADD COLUMN full_name TEXT;

UPDATE accounts SET full_name = concat_ws(' ', given_name, family_name);

ALTER TABLE accounts ALTER COLUMN full_name SET NOT NULL;

COMMENT ON COLUMN accounts.full_name IS 'Deprecated: replaced by given_name and family_name, dropped in V7.';
