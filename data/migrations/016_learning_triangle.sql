-- Version 16: the learning triangle (seed 003, Ellehøjskolen) and the school's own events of the
-- yearly wheel (Munkevængets Skole).
--
-- Six competence areas per subject and stage, each with the letter drawn on the triangle. The
-- defaults below apply to every school; a school's own areas (competence_area) take their place.
CREATE TABLE competence_area_default (
    subject  VARCHAR NOT NULL,
    stage    VARCHAR NOT NULL CHECK (stage IN ('indskoling', 'mellemtrin', 'udskoling')),
    position TINYINT NOT NULL CHECK (position BETWEEN 1 AND 6),
    letter   VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    PRIMARY KEY (subject, stage, position)
);
INSERT INTO competence_area_default
SELECT s.subject, st.stage, a.position, a.letter, a.name
FROM (VALUES ('matematik'), ('dansk')) s(subject)
CROSS JOIN (VALUES ('indskoling'), ('mellemtrin'), ('udskoling')) st(stage)
JOIN (VALUES
    -- Fælles Mål's six mathematical competences
    ('matematik', 1, 'P', 'Problembehandling'), ('matematik', 2, 'M', 'Modellering'),
    ('matematik', 3, 'R', 'Ræsonnement og tankegang'), ('matematik', 4, 'S', 'Repræsentation og symboler'),
    ('matematik', 5, 'K', 'Kommunikation'), ('matematik', 6, 'H', 'Hjælpemidler'),
    ('dansk', 1, 'L', 'Læsning'), ('dansk', 2, 'F', 'Fremstilling'), ('dansk', 3, 'T', 'Fortolkning'),
    ('dansk', 4, 'K', 'Kommunikation'), ('dansk', 5, 'S', 'Stavning og sprog'), ('dansk', 6, 'M', 'Mundtlighed')
) a(subject, position, letter, name) ON a.subject = s.subject;

CREATE TABLE competence_area (
    institution_no VARCHAR NOT NULL,
    subject        VARCHAR NOT NULL,
    stage          VARCHAR NOT NULL CHECK (stage IN ('indskoling', 'mellemtrin', 'udskoling')),
    position       TINYINT NOT NULL CHECK (position BETWEEN 1 AND 6),
    letter         VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    changed_by     VARCHAR NOT NULL,
    changed_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_no, subject, stage, position)
);

-- A pupil's placement in one competence area: 1 (red: challenges) to 5 (green: high level), three
-- rounds a school year. The two short texts belong to the round: the biggest progress, the next focus.
CREATE TABLE triangle_placement (
    school_year VARCHAR NOT NULL,
    round       TINYINT NOT NULL CHECK (round BETWEEN 1 AND 3),
    student_key VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,
    position    TINYINT NOT NULL CHECK (position BETWEEN 1 AND 6),
    level       TINYINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    placed_by   VARCHAR NOT NULL,
    placed_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (school_year, round, student_key, subject, position)
);
CREATE TABLE triangle_note (
    school_year VARCHAR NOT NULL,
    round       TINYINT NOT NULL CHECK (round BETWEEN 1 AND 3),
    student_key VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,
    progress    VARCHAR NOT NULL,
    next_focus  VARCHAR NOT NULL,
    written_by  VARCHAR NOT NULL,
    written_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (school_year, round, student_key, subject)
);

-- The school's own events on the yearly wheel (a theme week, a parents' evening, a test window of
-- its own); the store's own data points (surveys, tests, exams, talks, imports) are read where they are.
CREATE SEQUENCE school_event_seq START 1;
CREATE TABLE school_event (
    event_id       INTEGER PRIMARY KEY DEFAULT nextval('school_event_seq'),
    institution_no VARCHAR NOT NULL,
    school_year    VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    starts_on      DATE NOT NULL,
    ends_on        DATE NOT NULL,
    created_by     VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);

-- A pupil register imported as an explicit replacement archives the triangles of the pupils it
-- leaves out like their other data (migration 13), so a rollback restores them.
CREATE TABLE import_archive_triangle_placement AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM triangle_placement LIMIT 0;
CREATE TABLE import_archive_triangle_note AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM triangle_note LIMIT 0;
