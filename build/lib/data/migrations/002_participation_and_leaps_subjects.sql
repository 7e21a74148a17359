-- Version 2: which subjects each grade must meet in LEAPS over a school year (configuration),
-- and participation targets keep their history (a new row per change; the newest counts).
CREATE TABLE leaps_subject (
    subject    VARCHAR PRIMARY KEY,
    from_grade TINYINT NOT NULL,
    to_grade   TINYINT NOT NULL
);

CREATE TABLE participation_target_history (
    institution_no VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    target         DOUBLE NOT NULL,
    set_by         VARCHAR NOT NULL,
    set_at         TIMESTAMP NOT NULL
);
