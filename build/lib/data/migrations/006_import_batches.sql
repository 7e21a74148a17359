-- Version 6: imports. Every imported row carries the batch that brought it, so a batch can be
-- replaced by a corrected file or rolled back. A batch is 'aktiv', 'erstattet' (every school and
-- year it covered came again in a newer file) or 'rullet tilbage'. The old UNIQUE (source, sha)
-- goes: a file that was rolled back may be imported again.
ALTER TABLE school ADD COLUMN batch_id INTEGER;
ALTER TABLE student ADD COLUMN batch_id INTEGER;
ALTER TABLE wellbeing_answer ADD COLUMN batch_id INTEGER;
ALTER TABLE absence ADD COLUMN batch_id INTEGER;
ALTER TABLE national_test ADD COLUMN batch_id INTEGER;
ALTER TABLE exam_grade ADD COLUMN batch_id INTEGER;
ALTER TABLE survey_result ADD COLUMN batch_id INTEGER;
ALTER TABLE leaps_course ADD COLUMN batch_id INTEGER;

CREATE TABLE import_batch_v6 (
    batch_id     INTEGER PRIMARY KEY DEFAULT nextval('import_batch_seq'),
    source       VARCHAR NOT NULL,
    file_name    VARCHAR NOT NULL,
    file_sha256  VARCHAR NOT NULL,
    row_count    INTEGER NOT NULL,
    imported_by  VARCHAR NOT NULL,
    imported_at  TIMESTAMP NOT NULL,
    status       VARCHAR NOT NULL DEFAULT 'aktiv' CHECK (status IN ('aktiv', 'erstattet', 'rullet tilbage')),
    retrieved_on DATE,                 -- published figures: the day they were taken from the portal
    changed_by   VARCHAR,              -- who rolled it back
    changed_at   TIMESTAMP
);
INSERT INTO import_batch_v6 (batch_id, source, file_name, file_sha256, row_count, imported_by, imported_at)
SELECT batch_id, source, file_name, file_sha256, row_count, imported_by, imported_at FROM import_batch;
DROP TABLE import_batch;
ALTER TABLE import_batch_v6 RENAME TO import_batch;

-- Which schools and school years a batch covered (freshness per source and school; replacement).
CREATE TABLE import_batch_scope (
    batch_id       INTEGER NOT NULL,
    institution_no VARCHAR NOT NULL,
    school_year    VARCHAR NOT NULL,   -- '' for the institution register
    part           VARCHAR NOT NULL,   -- '' or what else a newer file must match: a survey, a table layout
    row_count      INTEGER NOT NULL,
    replaced_by    INTEGER,            -- the newer batch that brought this school, year and part again
    PRIMARY KEY (batch_id, institution_no, school_year, part)
);

-- The ministry's published figures per department (uddannelsesstatistik.dk), with the
-- municipality and country values published beside them. NULL = blank, '-', '..' or '*' in the
-- source: missing or suppressed, never zero.
CREATE TABLE published_school_figure (
    school_year        VARCHAR NOT NULL,
    institution_no     VARCHAR NOT NULL,
    department_no      VARCHAR NOT NULL,
    department_name    VARCHAR,
    measure            VARCHAR NOT NULL,   -- e.g. absence_total_pct, wellbeing_generel
    breakdown          VARCHAR NOT NULL DEFAULT 'alle',   -- well-being cube: 'klassetrin 4 · piger'
    school_value       DOUBLE,
    municipality_value DOUBLE,
    country_value      DOUBLE,
    n                  INTEGER,
    note               VARCHAR,            -- e.g. the published significance of the socio-economic difference
    retrieved_on       DATE NOT NULL,
    batch_id           INTEGER NOT NULL,
    PRIMARY KEY (school_year, department_no, measure, breakdown)
);
