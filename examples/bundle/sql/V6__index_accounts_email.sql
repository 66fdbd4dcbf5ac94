-- V6: one account per email address, enforced by a unique index.
-- CONCURRENTLY builds the index without blocking writes to accounts. It cannot run in a
-- transaction, so it has this migration to itself and the runner runs it in autocommit.
-- If it fails (e.g. duplicate addresses) it leaves an INVALID index and a failed history row:
-- drop the index, fix the data, run repair, migrate again (docs/runner.md, "Recovering").
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);
