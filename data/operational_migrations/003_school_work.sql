-- Version 3: what a school's leadership and teams register while people work: its efforts, its own
-- events of the yearly wheel, its participation targets (and their history), its projects and their
-- success criteria, and its own names of the competence areas. DuckDB migration 021 moves their rows
-- here. Every row carries the school it belongs to (a criterion through its project), so each write
-- checks the school of the row it changes here. TEXT_LIST is a list of texts kept as JSON text
-- ('["wellbeing_generel"]'); the runner hands it to DuckDB as a list (data/operational_store.py).
CREATE TABLE effort (
    effort_id      TEXT PRIMARY KEY,
    institution_no TEXT NOT NULL,
    name           TEXT NOT NULL,
    starts_on      DATE NOT NULL,
    ends_on        DATE,
    indicators     TEXT_LIST NOT NULL,
    description    TEXT,
    updated_by     TEXT NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX effort_school ON effort (institution_no);

CREATE TABLE school_event (
    event_id       INTEGER PRIMARY KEY,    -- SQLite: the rowid (PostgreSQL: an identity)
    institution_no TEXT NOT NULL,
    school_year    TEXT NOT NULL,
    title          TEXT NOT NULL,
    starts_on      DATE NOT NULL,
    ends_on        DATE NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX school_event_school ON school_event (institution_no, school_year);

CREATE TABLE participation_target (
    institution_no TEXT NOT NULL,
    indicator      TEXT NOT NULL,
    target         REAL NOT NULL,
    set_by         TEXT NOT NULL,
    set_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_no, indicator)
);

CREATE TABLE participation_target_history (
    institution_no TEXT NOT NULL,
    indicator      TEXT NOT NULL,
    target         REAL NOT NULL,
    set_by         TEXT NOT NULL,
    set_at         TIMESTAMP NOT NULL
);
CREATE INDEX participation_target_history_school ON participation_target_history (institution_no, indicator);

CREATE TABLE school_project (
    project_id     TEXT PRIMARY KEY,
    institution_no TEXT NOT NULL,
    title          TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    start_date     DATE NOT NULL,
    end_date       DATE NOT NULL,
    survey_id      TEXT
);
CREATE INDEX school_project_school ON school_project (institution_no);

CREATE TABLE project_criterion (
    criterion_id     TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES school_project (project_id),
    kind             TEXT NOT NULL CHECK (kind IN ('milepæl', 'måling')),
    text             TEXT NOT NULL,
    due_date         DATE,
    done             BOOLEAN,
    evidence         TEXT,
    respondent_group TEXT,
    question_id      TEXT,
    target_change    REAL,
    updated_by       TEXT NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE competence_area (
    institution_no TEXT NOT NULL,
    subject        TEXT NOT NULL,
    stage          TEXT NOT NULL CHECK (stage IN ('indskoling', 'mellemtrin', 'udskoling')),
    position       INTEGER NOT NULL CHECK (position BETWEEN 1 AND 6),
    letter         TEXT NOT NULL,
    name           TEXT NOT NULL,
    changed_by     TEXT NOT NULL,
    changed_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_no, subject, stage, position)
);
