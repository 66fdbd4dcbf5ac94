DROP VIEW account_emails;
ALTER TABLE accounts DROP COLUMN full_name;
