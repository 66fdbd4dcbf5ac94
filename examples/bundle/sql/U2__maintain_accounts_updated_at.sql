-- U2: undo "maintain accounts updated at": the trigger first, then the function it calls.
DROP TRIGGER accounts_set_updated_at ON accounts;
DROP FUNCTION set_updated_at();
