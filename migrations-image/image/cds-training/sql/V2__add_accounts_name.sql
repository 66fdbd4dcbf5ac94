ALTER TABLE accounts ADD COLUMN full_name TEXT;
CREATE INDEX CONCURRENTLY accounts_full_name_idx ON accounts (full_name);
