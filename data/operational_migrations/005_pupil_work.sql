-- Version 5: what the year group's team records about a pupil while people work: the 1-5 assessment
-- grid and the learning triangles (placements and the round's two texts). DuckDB migration 024 moves
-- their rows here. A row names its pupil and school year, not the school: each write first checks in
-- the analytical store that the pupil is in the school and year group in scope that year (the
-- `-- guard:` guard_pupil_in_year_group). The rows a pupil register's replacement removes are kept
-- in the import_archive_ tables under the replacing batch (archived_by), so rolling it back restores them.
CREATE TABLE pupil_assessment (
    school_year TEXT NOT NULL,
    term        TEXT NOT NULL CHECK (term IN ('efterår', 'forår')),
    student_key TEXT NOT NULL,
    area        TEXT NOT NULL CHECK (area IN ('dansk', 'matematik', 'social_trivsel')),
    score       TINYINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    assessed_by TEXT NOT NULL,
    assessed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (school_year, term, student_key, area)
);
CREATE INDEX pupil_assessment_pupil ON pupil_assessment (school_year, student_key);

CREATE TABLE triangle_placement (
    school_year TEXT NOT NULL,
    round       TINYINT NOT NULL CHECK (round BETWEEN 1 AND 3),
    student_key TEXT NOT NULL,
    subject     TEXT NOT NULL,
    position    TINYINT NOT NULL CHECK (position BETWEEN 1 AND 6),
    level       TINYINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    placed_by   TEXT NOT NULL,
    placed_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (school_year, round, student_key, subject, position)
);
CREATE INDEX triangle_placement_pupil ON triangle_placement (school_year, student_key);

CREATE TABLE triangle_note (
    school_year TEXT NOT NULL,
    round       TINYINT NOT NULL CHECK (round BETWEEN 1 AND 3),
    student_key TEXT NOT NULL,
    subject     TEXT NOT NULL,
    progress    TEXT NOT NULL,
    next_focus  TEXT NOT NULL,
    written_by  TEXT NOT NULL,
    written_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (school_year, round, student_key, subject)
);
CREATE INDEX triangle_note_pupil ON triangle_note (school_year, student_key);

CREATE TABLE import_archive_pupil_assessment (
    archived_by INTEGER,
    school_year TEXT,
    term        TEXT,
    student_key TEXT,
    area        TEXT,
    score       TINYINT,
    assessed_by TEXT,
    assessed_at TIMESTAMP
);
CREATE INDEX import_archive_pupil_assessment_batch ON import_archive_pupil_assessment (archived_by);

CREATE TABLE import_archive_triangle_placement (
    archived_by INTEGER,
    school_year TEXT,
    round       TINYINT,
    student_key TEXT,
    subject     TEXT,
    position    TINYINT,
    level       TINYINT,
    placed_by   TEXT,
    placed_at   TIMESTAMP
);
CREATE INDEX import_archive_triangle_placement_batch ON import_archive_triangle_placement (archived_by);

CREATE TABLE import_archive_triangle_note (
    archived_by INTEGER,
    school_year TEXT,
    round       TINYINT,
    student_key TEXT,
    subject     TEXT,
    progress    TEXT,
    next_focus  TEXT,
    written_by  TEXT,
    written_at  TIMESTAMP
);
CREATE INDEX import_archive_triangle_note_batch ON import_archive_triangle_note (archived_by);
