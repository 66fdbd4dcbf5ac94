-- V7: contract step of V4: drop full_name, which no running application version reads or writes
-- any more.
-- schemagate:allow-destructive - no name is lost: V4 copied every name into given_name and
-- family_name, the UPDATE below catches rows written since by older application versions, and
-- U7 rebuilds full_name from the parts.
UPDATE accounts
   SET given_name  = split_part(btrim(full_name), ' ', 1),
       family_name = nullif(btrim(substr(btrim(full_name),
                                         length(split_part(btrim(full_name), ' ', 1)) + 1)), '')
 WHERE given_name IS NULL;

ALTER TABLE accounts DROP COLUMN full_name;
