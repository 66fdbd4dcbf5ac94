DROP INDEX CONCURRENTLY IF EXISTS accounts_full_name_idx;
ALTER TABLE accounts DROP COLUMN full_name;
