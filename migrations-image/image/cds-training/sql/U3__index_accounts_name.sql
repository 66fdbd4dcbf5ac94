DROP INDEX CONCURRENTLY IF EXISTS accounts_full_name_idx;
