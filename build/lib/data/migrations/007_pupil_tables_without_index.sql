-- Version 7: the large pupil-level tables lose their primary keys. DuckDB keeps a primary key as an
-- in-memory ART index: for a national well-being load (20 million answers) it cost about 2 GB of
-- memory and 10 seconds at commit, and it slows every load. Uniqueness is kept by the writers
-- instead: the importers refuse duplicates inside a file and replace a school's year as a whole,
-- and the demo builder writes each key once (tests/test_store.py checks both).
CREATE TABLE wellbeing_answer_v7 (
    school_year   VARCHAR NOT NULL,
    student_key   VARCHAR NOT NULL,
    question_id   VARCHAR NOT NULL,
    answer_option TINYINT NOT NULL,
    batch_id      INTEGER
);
INSERT INTO wellbeing_answer_v7 SELECT school_year, student_key, question_id, answer_option, batch_id
FROM wellbeing_answer ORDER BY school_year, student_key, question_id;
DROP TABLE wellbeing_answer;
ALTER TABLE wellbeing_answer_v7 RENAME TO wellbeing_answer;

CREATE TABLE wellbeing_score_v7 (
    school_year VARCHAR NOT NULL,
    student_key VARCHAR NOT NULL,
    indicator   VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    n_answers   TINYINT NOT NULL
);
INSERT INTO wellbeing_score_v7 SELECT * FROM wellbeing_score ORDER BY school_year, student_key, indicator;
DROP TABLE wellbeing_score;
ALTER TABLE wellbeing_score_v7 RENAME TO wellbeing_score;

CREATE TABLE absence_v7 (
    school_year       VARCHAR NOT NULL,
    student_key       VARCHAR NOT NULL,
    month             DATE NOT NULL,
    school_days       TINYINT NOT NULL CHECK (school_days BETWEEN 0 AND 31),
    illness_days      DECIMAL(4,1) NOT NULL DEFAULT 0,
    authorised_days   DECIMAL(4,1) NOT NULL DEFAULT 0,
    unauthorised_days DECIMAL(4,1) NOT NULL DEFAULT 0,
    batch_id          INTEGER
);
INSERT INTO absence_v7 SELECT school_year, student_key, month, school_days, illness_days, authorised_days,
    unauthorised_days, batch_id FROM absence ORDER BY school_year, student_key, month;
DROP TABLE absence;
ALTER TABLE absence_v7 RENAME TO absence;

CREATE TABLE national_test_v7 (
    school_year  VARCHAR NOT NULL,
    student_key  VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL CHECK (subject IN ('dansk_laesning', 'matematik')),
    grade        TINYINT NOT NULL,
    profile_area VARCHAR NOT NULL DEFAULT 'samlet',
    points       SMALLINT NOT NULL,
    max_points   SMALLINT NOT NULL CHECK (max_points > 0),
    taken_on     DATE NOT NULL,
    batch_id     INTEGER
);
INSERT INTO national_test_v7 SELECT school_year, student_key, subject, grade, profile_area, points, max_points,
    taken_on, batch_id FROM national_test ORDER BY school_year, student_key, subject, profile_area;
DROP TABLE national_test;
ALTER TABLE national_test_v7 RENAME TO national_test;

CREATE TABLE exam_grade_v7 (
    school_year VARCHAR NOT NULL,
    student_key VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,
    bound       BOOLEAN NOT NULL,
    grade       TINYINT NOT NULL CHECK (grade IN (-3, 0, 2, 4, 7, 10, 12)),
    batch_id    INTEGER
);
INSERT INTO exam_grade_v7 SELECT school_year, student_key, subject, bound, grade, batch_id
FROM exam_grade ORDER BY school_year, student_key, subject;
DROP TABLE exam_grade;
ALTER TABLE exam_grade_v7 RENAME TO exam_grade;
