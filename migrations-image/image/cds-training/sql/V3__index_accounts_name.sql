-- Non-transactional on its own, as lint requires.
CREATE INDEX CONCURRENTLY accounts_full_name_idx ON accounts (full_name);
