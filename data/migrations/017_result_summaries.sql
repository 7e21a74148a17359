-- Version 17: summaries of the pupil-level results, kept by every writer in the writer's own
-- transaction (data/derived_summaries.sql, data/summaries.py): per school × school year × grade ×
-- gender × class, the sufficient statistics (counts, sums, sums of squares, counts per mark or
-- band) from which the screens compute every figure and its standard error without reading a
-- pupil row. Suppression still applies to the pupil count behind each figure.
CREATE TABLE exam_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    special_class  BOOLEAN NOT NULL,
    pupils_bound   INTEGER NOT NULL,   -- pupils with at least one bound grade
    n_complete     INTEGER NOT NULL,   -- of them, pupils with all 8 bound grades
    sum_complete   BIGINT NOT NULL,    -- sum over those pupils of the sum of their 8 grades
    sumsq_complete BIGINT NOT NULL,    -- sum over those pupils of (sum of their 8 grades)²
    bound_grades   INTEGER NOT NULL,   -- bound grades given, and of them at each mark:
    m_minus3 INTEGER NOT NULL, m00 INTEGER NOT NULL, m02 INTEGER NOT NULL, m04 INTEGER NOT NULL,
    m07 INTEGER NOT NULL, m10 INTEGER NOT NULL, m12 INTEGER NOT NULL
);
CREATE TABLE exam_subject_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    special_class  BOOLEAN NOT NULL,
    subject        VARCHAR NOT NULL,
    bound          BOOLEAN NOT NULL,
    n              INTEGER NOT NULL,
    sum_grade      BIGINT NOT NULL,
    sumsq_grade    BIGINT NOT NULL
);
CREATE TABLE national_test_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,   -- the test's grade (national_test.grade)
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    subject        VARCHAR NOT NULL,
    profile_area   VARCHAR NOT NULL,
    max_points     SMALLINT NOT NULL,
    band           VARCHAR,            -- national_test_band at the time of writing; NULL below every band
    n              INTEGER NOT NULL,
    sum_points     BIGINT NOT NULL     -- sum of the pupils' points (of max_points)
);

-- Filled from the rows already in the store (the same statements as data/derived_summaries.sql then).
CREATE TEMP TABLE summary_scope AS SELECT DISTINCT institution_no, school_year FROM student;
DELETE FROM exam_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO exam_summary
WITH per_pupil AS (
    SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
           st.student_key, count(*) AS grades, sum(e.grade::INTEGER) AS points,
           count(*) FILTER (WHERE e.grade = -3) AS m_minus3, count(*) FILTER (WHERE e.grade = 0) AS m00,
           count(*) FILTER (WHERE e.grade = 2) AS m02, count(*) FILTER (WHERE e.grade = 4) AS m04,
           count(*) FILTER (WHERE e.grade = 7) AS m07, count(*) FILTER (WHERE e.grade = 10) AS m10,
           count(*) FILTER (WHERE e.grade = 12) AS m12
    FROM student st
    JOIN exam_grade e USING (school_year, student_key, institution_no)
    WHERE e.bound AND (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
    GROUP BY ALL
)
SELECT school_year, institution_no, grade, gender, class_name, special_class,
       count(*) AS pupils_bound,
       count(*) FILTER (WHERE grades = 8) AS n_complete,
       coalesce(sum(points) FILTER (WHERE grades = 8), 0) AS sum_complete,
       coalesce(sum(points * points) FILTER (WHERE grades = 8), 0) AS sumsq_complete,
       sum(grades) AS bound_grades,
       sum(m_minus3), sum(m00), sum(m02), sum(m04), sum(m07), sum(m10), sum(m12)
FROM per_pupil
GROUP BY ALL
ORDER BY school_year, institution_no;

DELETE FROM exam_subject_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO exam_subject_summary
SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
       e.subject, e.bound, count(*) AS n, sum(e.grade) AS sum_grade, sum(e.grade::INTEGER * e.grade) AS sumsq_grade
FROM student st
JOIN exam_grade e USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;

DELETE FROM national_test_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO national_test_summary
WITH results AS (
    SELECT st.school_year, st.institution_no, t.grade, st.gender, st.class_name, t.subject, t.profile_area,
           t.max_points, t.points, t.points::DOUBLE / t.max_points AS share_correct
    FROM student st
    JOIN national_test t USING (school_year, student_key, institution_no)
    WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
)
SELECT r.school_year, r.institution_no, r.grade, r.gender, r.class_name, r.subject, r.profile_area, r.max_points,
       b.band, count(*) AS n, sum(r.points) AS sum_points
FROM results r
ASOF LEFT JOIN national_test_band b ON r.share_correct >= b.lower_share
GROUP BY ALL
ORDER BY r.profile_area, r.school_year, r.institution_no;  -- one area's rows together: the screens read 'samlet'
DROP TABLE summary_scope;
