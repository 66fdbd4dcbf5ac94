-- U5: undo "normalise emails": drop the constraint only. The original spelling of each address is
-- gone and cannot be restored; the normalised addresses are valid for the V4 schema, which
-- accepted any text, so keeping them is the right rollback.
ALTER TABLE accounts DROP CONSTRAINT accounts_email_normalised;
