-- Version 4: LEAPS courses are edited by the leadership and the teams while people work, and imported
-- (batch_id: the import batch that brought a row; the batches themselves stay in the DuckDB file).
-- The rows an import replaces are kept in import_archive_leaps_course under the replacing batch
-- (archived_by), so rolling it back restores them. DuckDB migration 023 moves their rows here.
CREATE TABLE leaps_course (
    course_id          TEXT PRIMARY KEY,
    institution_no     TEXT NOT NULL,
    school_year        TEXT NOT NULL,
    year_group         INTEGER NOT NULL,
    title              TEXT NOT NULL,
    subjects           TEXT_LIST NOT NULL,
    weeks              INTEGER NOT NULL,
    start_date         DATE NOT NULL,
    end_date           DATE NOT NULL,
    mandatory          BOOLEAN NOT NULL,
    description_shared BOOLEAN NOT NULL,
    evaluation_done    BOOLEAN NOT NULL,
    company_partner    TEXT,
    pupil_involvement  TEXT,
    competences        TEXT_LIST NOT NULL,
    updated_by         TEXT NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    batch_id           INTEGER
);
CREATE INDEX leaps_course_school ON leaps_course (institution_no, school_year);
CREATE INDEX leaps_course_batch ON leaps_course (batch_id);

CREATE TABLE import_archive_leaps_course (
    archived_by        INTEGER,
    course_id          TEXT,
    institution_no     TEXT,
    school_year        TEXT,
    year_group         INTEGER,
    title              TEXT,
    subjects           TEXT_LIST,
    weeks              INTEGER,
    start_date         DATE,
    end_date           DATE,
    mandatory          BOOLEAN,
    description_shared BOOLEAN,
    evaluation_done    BOOLEAN,
    company_partner    TEXT,
    pupil_involvement  TEXT,
    competences        TEXT_LIST,
    updated_by         TEXT,
    updated_at         TIMESTAMP,
    batch_id           INTEGER
);
CREATE INDEX import_archive_leaps_course_batch ON import_archive_leaps_course (archived_by);
