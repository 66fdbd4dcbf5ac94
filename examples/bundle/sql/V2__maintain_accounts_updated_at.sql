-- V2: keep accounts.updated_at current on every UPDATE, whatever client writes the row.
-- The function body is dollar-quoted, so its semicolons and its BEGIN/END belong to PL/pgSQL,
-- not to the migration.
CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS 'Trigger function: sets updated_at to the transaction time.';

CREATE TRIGGER accounts_set_updated_at
    BEFORE UPDATE ON accounts
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();
