-- U4: undo "split full name". Nothing is lost: full_name still holds every name (U7 restored it
-- if V7 had dropped it), so dropping the split columns returns the data to its V3 shape.
ALTER TABLE accounts
    DROP COLUMN given_name,
    DROP COLUMN family_name;

COMMENT ON COLUMN accounts.full_name IS 'Name as the customer typed it.';
