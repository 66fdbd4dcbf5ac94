-- U6: undo "index accounts email" without blocking writes either; runs in autocommit like V6.
DROP INDEX CONCURRENTLY accounts_email_key;
