-- Datablik store, version 1. One table per source; pupils are pseudonymous (student_key), never CPR.
-- School years are written '2024/25'. Codes (institution_no, municipality code) are strings.

CREATE TABLE store_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE municipality (
    code VARCHAR PRIMARY KEY,          -- 3 digits, e.g. '183'
    name VARCHAR NOT NULL              -- normalised short name, e.g. 'Ishøj'
);

CREATE TABLE school (
    institution_no    VARCHAR PRIMARY KEY,   -- 6 digits, kept as text
    name              VARCHAR NOT NULL,
    municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
    school_type       VARCHAR NOT NULL CHECK (school_type IN ('folkeskole', 'specialskole')),
    in_leaps          BOOLEAN NOT NULL DEFAULT false,
    address           VARCHAR
);

CREATE TABLE school_year (
    school_year VARCHAR PRIMARY KEY,     -- '2024/25'
    start_date  DATE NOT NULL,           -- 1 August
    end_date    DATE NOT NULL
);

-- One row per pupil and school year. Flags carry the inclusion and equity breakdowns.
CREATE TABLE student (
    school_year       VARCHAR NOT NULL REFERENCES school_year(school_year),
    student_key       VARCHAR NOT NULL,
    institution_no    VARCHAR NOT NULL REFERENCES school(institution_no),
    grade             TINYINT NOT NULL CHECK (grade BETWEEN 0 AND 10),
    class_name        VARCHAR NOT NULL,             -- '4.A', 'Spec. 2', 'Modt. 1'
    gender            VARCHAR NOT NULL CHECK (gender IN ('pige', 'dreng')),
    bilingual         BOOLEAN NOT NULL DEFAULT false,
    special_class     BOOLEAN NOT NULL DEFAULT false,
    reception_class   BOOLEAN NOT NULL DEFAULT false,
    reduced_timetable BOOLEAN NOT NULL DEFAULT false,
    months_enrolled   TINYINT NOT NULL DEFAULT 11 CHECK (months_enrolled BETWEEN 1 AND 11),
    PRIMARY KEY (school_year, student_key)
);

-- Well-being survey: question catalogue (configurable; BEK 1167/2015 annex 2) and raw answers.
CREATE TABLE wellbeing_answer_scale (
    scale     VARCHAR NOT NULL,
    option_no TINYINT NOT NULL,         -- 1 = first option as printed
    label     VARCHAR NOT NULL,
    PRIMARY KEY (scale, option_no)
);

CREATE TABLE wellbeing_question (
    question_id VARCHAR PRIMARY KEY,
    grade_band  VARCHAR NOT NULL CHECK (grade_band IN ('0-3', '4-9')),
    text        VARCHAR NOT NULL,
    scale       VARCHAR NOT NULL,
    n_options   TINYINT NOT NULL,
    first_option_best BOOLEAN NOT NULL, -- positive questions; negative ones are scored reversed
    indicator   VARCHAR,                -- social | faglig | stoette | ro; NULL = not in an indicator
    sort_order  SMALLINT NOT NULL
);

CREATE TABLE wellbeing_answer (
    school_year   VARCHAR NOT NULL,
    student_key   VARCHAR NOT NULL,
    question_id   VARCHAR NOT NULL,
    answer_option TINYINT NOT NULL,     -- option as printed (1 = first); scored in data/derived.sql
    PRIMARY KEY (school_year, student_key, question_id)
);

-- Derived from wellbeing_answer by data/derived.sql (official rule: mean of the pupil's
-- answers, only with answers to at least half of the indicator's questions).
CREATE TABLE wellbeing_score (
    school_year VARCHAR NOT NULL,
    student_key VARCHAR NOT NULL,
    indicator   VARCHAR NOT NULL,       -- generel | social | faglig | stoette | ro
    score       DOUBLE NOT NULL,
    n_answers   TINYINT NOT NULL,
    PRIMARY KEY (school_year, student_key, indicator)
);

-- Absence per pupil and month, in whole days per kind.
CREATE TABLE absence (
    school_year       VARCHAR NOT NULL,
    student_key       VARCHAR NOT NULL,
    month             DATE NOT NULL,     -- first day of the month
    school_days       TINYINT NOT NULL CHECK (school_days BETWEEN 0 AND 31),
    illness_days      DECIMAL(4,1) NOT NULL DEFAULT 0,
    authorised_days   DECIMAL(4,1) NOT NULL DEFAULT 0,
    unauthorised_days DECIMAL(4,1) NOT NULL DEFAULT 0,
    PRIMARY KEY (school_year, student_key, month)
);

-- National tests (overgangstest from 2022/23): points out of a maximum, per profile area optional.
CREATE TABLE national_test (
    school_year  VARCHAR NOT NULL,
    student_key  VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL CHECK (subject IN ('dansk_laesning', 'matematik')),
    grade        TINYINT NOT NULL,
    profile_area VARCHAR NOT NULL DEFAULT 'samlet',
    points       SMALLINT NOT NULL,
    max_points   SMALLINT NOT NULL CHECK (max_points > 0),
    taken_on     DATE NOT NULL,
    PRIMARY KEY (school_year, student_key, subject, profile_area)
);

-- Band limits as a share of max points (limits are not public: configuration).
CREATE TABLE national_test_band (
    band        VARCHAR PRIMARY KEY,    -- dygtigste | gode | ikke_gode | daarligste
    lower_share DOUBLE NOT NULL,        -- pupil is in the highest band whose lower_share <= points/max
    label       VARCHAR NOT NULL,
    rank        TINYINT NOT NULL        -- 1 = best
);

CREATE TABLE exam_grade (
    school_year VARCHAR NOT NULL,
    student_key VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,
    bound       BOOLEAN NOT NULL,       -- one of the bound grades in the published average
    grade       TINYINT NOT NULL CHECK (grade IN (-3, 0, 2, 4, 7, 10, 12)),
    PRIMARY KEY (school_year, student_key, subject)
);

-- Socio-economic reference per school (published by the ministry).
CREATE TABLE socio_reference (
    school_year      VARCHAR NOT NULL,
    institution_no   VARCHAR NOT NULL,
    expected_average DOUBLE NOT NULL,
    difference       DOUBLE NOT NULL,
    significance     VARCHAR NOT NULL CHECK (significance IN ('Over niveau', 'På niveau', 'Under niveau')),
    n_pupils         INTEGER NOT NULL,
    PRIMARY KEY (school_year, institution_no)
);

-- Generic surveys: LEAPS programme survey, project baseline/endline, the school's own.
CREATE TABLE survey (
    survey_id      VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    institution_no VARCHAR              -- NULL for a survey run across schools
);

CREATE TABLE survey_result (
    survey_id        VARCHAR NOT NULL REFERENCES survey(survey_id),
    institution_no   VARCHAR NOT NULL,
    school_year      VARCHAR NOT NULL,
    wave             VARCHAR NOT NULL,  -- 'baseline', 'endline', or the year of a yearly survey
    measured_on      DATE NOT NULL,
    respondent_group VARCHAR NOT NULL,  -- medarbejdere | forældre | elever | virksomheder
    question_id      VARCHAR NOT NULL,
    question_text    VARCHAR NOT NULL,
    n                INTEGER NOT NULL CHECK (n >= 0),
    share_favourable DOUBLE CHECK (share_favourable BETWEEN 0 AND 1),
    mean             DOUBLE,
    PRIMARY KEY (survey_id, institution_no, wave, respondent_group, question_id)
);

-- LEAPS programme.
CREATE TABLE leaps_rule (
    rule  VARCHAR PRIMARY KEY,          -- courses_per_year, min_weeks, max_weeks, company_courses_per_year_group
    value DOUBLE NOT NULL,
    label VARCHAR NOT NULL
);

CREATE TABLE leaps_course (
    course_id           VARCHAR PRIMARY KEY,
    institution_no      VARCHAR NOT NULL,
    school_year         VARCHAR NOT NULL,
    year_group          TINYINT NOT NULL,   -- grade of the team's year group
    title               VARCHAR NOT NULL,
    subjects            VARCHAR[] NOT NULL,
    weeks               TINYINT NOT NULL,
    start_date          DATE NOT NULL,
    end_date            DATE NOT NULL,
    mandatory           BOOLEAN NOT NULL,
    description_shared  BOOLEAN NOT NULL,
    evaluation_done     BOOLEAN NOT NULL,
    company_partner     VARCHAR,
    pupil_involvement   VARCHAR,
    competences         VARCHAR[] NOT NULL,
    updated_by          VARCHAR NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

-- School projects and success criteria.
CREATE TABLE school_project (
    project_id     VARCHAR PRIMARY KEY,
    institution_no VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    purpose        VARCHAR NOT NULL,
    start_date     DATE NOT NULL,
    end_date       DATE NOT NULL,
    survey_id      VARCHAR                  -- the baseline/endline survey measuring it
);

CREATE TABLE project_criterion (
    criterion_id     VARCHAR PRIMARY KEY,
    project_id       VARCHAR NOT NULL REFERENCES school_project(project_id),
    kind             VARCHAR NOT NULL CHECK (kind IN ('milepæl', 'måling')),
    text             VARCHAR NOT NULL,
    due_date         DATE,
    done             BOOLEAN,
    evidence         VARCHAR,
    respondent_group VARCHAR,               -- for 'måling': which survey group and question
    question_id      VARCHAR,
    target_change    DOUBLE,                -- wanted rise in share favourable (0.10 = 10 pp)
    updated_by       VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

-- The team's 1-5 assessment grid (1 = red, 5 = dark green).
CREATE TABLE pupil_assessment (
    school_year VARCHAR NOT NULL,
    term        VARCHAR NOT NULL CHECK (term IN ('efterår', 'forår')),
    student_key VARCHAR NOT NULL,
    area        VARCHAR NOT NULL CHECK (area IN ('dansk', 'matematik', 'social_trivsel')),
    score       TINYINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    assessed_by VARCHAR NOT NULL,
    assessed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (school_year, term, student_key, area)
);

-- Participation targets set by the school's leadership.
CREATE TABLE participation_target (
    institution_no VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    target         DOUBLE NOT NULL,
    set_by         VARCHAR NOT NULL,
    set_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_no, indicator)
);

-- The talk (skoleudviklingssamtale).
CREATE TABLE talk (
    talk_id        VARCHAR PRIMARY KEY,
    institution_no VARCHAR NOT NULL,
    school_year    VARCHAR NOT NULL,
    talk_date      DATE NOT NULL,
    place          VARCHAR,
    status         VARCHAR NOT NULL CHECK (status IN ('planlagt', 'afholdt', 'referat godkendt'))
);

CREATE TABLE talk_participant (
    talk_id VARCHAR NOT NULL REFERENCES talk(talk_id),
    name    VARCHAR NOT NULL,
    role    VARCHAR NOT NULL,   -- skoleleder | ledelse | forvaltning | politisk udvalg | skolebestyrelse | andre
    PRIMARY KEY (talk_id, name)
);

CREATE TABLE agenda_item (
    item_id    VARCHAR PRIMARY KEY,
    talk_id    VARCHAR NOT NULL REFERENCES talk(talk_id),
    position   SMALLINT NOT NULL,
    starts_at  TIME NOT NULL,
    ends_at    TIME NOT NULL,
    title      VARCHAR NOT NULL,
    screen     VARCHAR,            -- url path of the screen shown with this item
    filters    JSON,               -- that screen's filters
    questions  VARCHAR             -- discussion questions, one per line
);

CREATE TABLE note (
    item_id    VARCHAR PRIMARY KEY REFERENCES agenda_item(item_id),
    body       VARCHAR NOT NULL,
    version    INTEGER NOT NULL,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE agreement (
    agreement_id VARCHAR PRIMARY KEY,
    talk_id      VARCHAR NOT NULL REFERENCES talk(talk_id),
    text         VARCHAR NOT NULL,
    owner        VARCHAR NOT NULL,
    deadline     DATE,
    status       VARCHAR NOT NULL CHECK (status IN ('ikke startet', 'i gang', 'gennemført', 'opgivet')),
    carried_from VARCHAR,          -- agreement_id of last year's agreement it follows up
    updated_by   VARCHAR NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE minutes_version (
    talk_id    VARCHAR NOT NULL REFERENCES talk(talk_id),
    version    INTEGER NOT NULL,
    body_md    VARCHAR NOT NULL,
    public     BOOLEAN NOT NULL,   -- the website version, without confidential figures
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (talk_id, version, public)
);

-- Published reference values (country, and municipality where only published figures exist).
CREATE TABLE reference_value (
    level       VARCHAR NOT NULL CHECK (level IN ('land', 'kommune')),
    area_code   VARCHAR NOT NULL,  -- 'DK' or a municipality code
    school_year VARCHAR NOT NULL,
    measure     VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    source      VARCHAR NOT NULL,
    note        VARCHAR,
    PRIMARY KEY (level, area_code, school_year, measure)
);

CREATE SEQUENCE import_batch_seq START 1;
CREATE TABLE import_batch (
    batch_id    INTEGER PRIMARY KEY DEFAULT nextval('import_batch_seq'),
    source      VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    row_count   INTEGER NOT NULL,
    imported_by VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    UNIQUE (source, file_sha256)
);

CREATE SEQUENCE audit_log_seq START 1;
CREATE TABLE audit_log (
    entry_id INTEGER PRIMARY KEY DEFAULT nextval('audit_log_seq'),
    logged_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    action   VARCHAR NOT NULL,
    target   VARCHAR,
    detail   VARCHAR
);
