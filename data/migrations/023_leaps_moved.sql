-- Version 23: LEAPS courses are edited while people work, so they move to the operational store
-- (data/operational_store.py, migration 004 there) with the rows earlier imports replaced (their
-- archive); store.migrate copies their rows there first. Imports write them there, in the moment
-- the import's DuckDB transaction commits (data/audit.py `later`).
DROP TABLE leaps_course;
DROP TABLE import_archive_leaps_course;
