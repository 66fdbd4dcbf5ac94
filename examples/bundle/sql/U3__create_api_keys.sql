-- U3: undo "create api keys"; its index and foreign key go with the table.
DROP TABLE api_keys;
