ALTER TABLE accounts ADD COLUMN full_name TEXT;
CREATE VIEW account_emails AS SELECT id, email FROM accounts;
