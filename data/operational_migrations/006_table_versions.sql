-- Version 6: each operational table's version, so a cached read of a table is kept until that table
-- changes, not until any commit (a login, a session touch or an audit entry changes only its own
-- tables). A write transaction sets the version of every table it changed to its value of the commit
-- counter (datablik_state.version) just before it commits; a migration, a restore and a replacement
-- set every table's (data/operational_store.py: `transaction`, `versions`).
CREATE TABLE datablik_table_version (
    table_name TEXT PRIMARY KEY,
    version    INTEGER NOT NULL
);
