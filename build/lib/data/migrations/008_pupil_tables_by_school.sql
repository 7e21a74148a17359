-- Version 8: the large pupil-level tables carry the pupil's school (institution_no, as in the pupil
-- register that year) and are stored in school-year and school order. A query that joins them on
-- the school as well as the pupil lets DuckDB skip every block of other schools (zone maps), so a
-- school's figures are read without scanning the country. Writers fill the column; a row whose
-- pupil is not in the register keeps NULL (and is never counted by a school).
CREATE TABLE wellbeing_answer_v8 (
    school_year    VARCHAR NOT NULL,
    student_key    VARCHAR NOT NULL,
    institution_no VARCHAR,
    question_id    VARCHAR NOT NULL,
    answer_option  TINYINT NOT NULL,
    batch_id       INTEGER
);
INSERT INTO wellbeing_answer_v8
SELECT a.school_year, a.student_key, s.institution_no, a.question_id, a.answer_option, a.batch_id
FROM wellbeing_answer a LEFT JOIN student s USING (school_year, student_key)
ORDER BY a.school_year, s.institution_no, a.student_key;
DROP TABLE wellbeing_answer;
ALTER TABLE wellbeing_answer_v8 RENAME TO wellbeing_answer;

CREATE TABLE wellbeing_score_v8 (
    school_year    VARCHAR NOT NULL,
    student_key    VARCHAR NOT NULL,
    institution_no VARCHAR,
    indicator      VARCHAR NOT NULL,
    score          DOUBLE NOT NULL,
    n_answers      TINYINT NOT NULL
);
INSERT INTO wellbeing_score_v8
SELECT w.school_year, w.student_key, s.institution_no, w.indicator, w.score, w.n_answers
FROM wellbeing_score w LEFT JOIN student s USING (school_year, student_key)
ORDER BY w.school_year, s.institution_no, w.student_key;
DROP TABLE wellbeing_score;
ALTER TABLE wellbeing_score_v8 RENAME TO wellbeing_score;

CREATE TABLE absence_v8 (
    school_year       VARCHAR NOT NULL,
    student_key       VARCHAR NOT NULL,
    institution_no    VARCHAR,
    month             DATE NOT NULL,
    school_days       TINYINT NOT NULL CHECK (school_days BETWEEN 0 AND 31),
    illness_days      DECIMAL(4,1) NOT NULL DEFAULT 0,
    authorised_days   DECIMAL(4,1) NOT NULL DEFAULT 0,
    unauthorised_days DECIMAL(4,1) NOT NULL DEFAULT 0,
    batch_id          INTEGER
);
INSERT INTO absence_v8
SELECT a.school_year, a.student_key, s.institution_no, a.month, a.school_days, a.illness_days,
       a.authorised_days, a.unauthorised_days, a.batch_id
FROM absence a LEFT JOIN student s USING (school_year, student_key)
ORDER BY a.school_year, s.institution_no, a.student_key, a.month;
DROP TABLE absence;
ALTER TABLE absence_v8 RENAME TO absence;

CREATE TABLE national_test_v8 (
    school_year    VARCHAR NOT NULL,
    student_key    VARCHAR NOT NULL,
    institution_no VARCHAR,
    subject        VARCHAR NOT NULL CHECK (subject IN ('dansk_laesning', 'matematik')),
    grade          TINYINT NOT NULL,
    profile_area   VARCHAR NOT NULL DEFAULT 'samlet',
    points         SMALLINT NOT NULL,
    max_points     SMALLINT NOT NULL CHECK (max_points > 0),
    taken_on       DATE NOT NULL,
    batch_id       INTEGER
);
INSERT INTO national_test_v8
SELECT t.school_year, t.student_key, s.institution_no, t.subject, t.grade, t.profile_area, t.points,
       t.max_points, t.taken_on, t.batch_id
FROM national_test t LEFT JOIN student s USING (school_year, student_key)
ORDER BY t.school_year, s.institution_no, t.student_key;
DROP TABLE national_test;
ALTER TABLE national_test_v8 RENAME TO national_test;

CREATE TABLE exam_grade_v8 (
    school_year    VARCHAR NOT NULL,
    student_key    VARCHAR NOT NULL,
    institution_no VARCHAR,
    subject        VARCHAR NOT NULL,
    bound          BOOLEAN NOT NULL,
    grade          TINYINT NOT NULL CHECK (grade IN (-3, 0, 2, 4, 7, 10, 12)),
    batch_id       INTEGER
);
INSERT INTO exam_grade_v8
SELECT e.school_year, e.student_key, s.institution_no, e.subject, e.bound, e.grade, e.batch_id
FROM exam_grade e LEFT JOIN student s USING (school_year, student_key)
ORDER BY e.school_year, s.institution_no, e.student_key;
DROP TABLE exam_grade;
ALTER TABLE exam_grade_v8 RENAME TO exam_grade;
