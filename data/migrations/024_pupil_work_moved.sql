-- Version 24: the team's assessments and learning triangles are written while people work, so they
-- move to the operational store (data/operational_store.py, migration 005 there) with the rows
-- earlier pupil registers replaced (their archive); store.migrate copies their rows there first. The
-- pupil register writes them there, in the moment its DuckDB transaction commits (data/audit.py `later`).
DROP TABLE pupil_assessment;
DROP TABLE triangle_placement;
DROP TABLE triangle_note;
DROP TABLE IF EXISTS import_archive_pupil_assessment;
DROP TABLE IF EXISTS import_archive_triangle_placement;
DROP TABLE IF EXISTS import_archive_triangle_note;
