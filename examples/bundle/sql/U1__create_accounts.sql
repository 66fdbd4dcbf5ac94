-- U1: undo "create accounts"; the table's comments, constraints and identity go with it.
DROP TABLE accounts;
