-- U8: undo "add account locale": drop the column, and with it its check constraint and comment.
-- The locales customers picked are lost; only the app version that needs revision 8 reads them,
-- and it is held again by the gate once the database is below 8.
ALTER TABLE accounts DROP COLUMN locale;
