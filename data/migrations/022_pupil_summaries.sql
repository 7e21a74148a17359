-- Version 22: the last screen figures that read pupil rows read summaries (issue 18 point 1), kept
-- by every writer in its own transaction (data/summaries.py):
-- * wellbeing_summary and absence_summary (migration 20) are keyed by special class and bilingual
--   too, for the participation screen's departments and pupil groups (recreated and refilled);
-- * pupil_summary (data/derived_pupil_summaries.sql): per school × school year × grade × gender ×
--   class × special class × bilingual × reduced timetable, the register's pupils, the well-being
--   respondents, and absence beside social well-being of the same pupils.
DROP TABLE wellbeing_summary;
CREATE TABLE wellbeing_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    special_class  BOOLEAN NOT NULL,
    bilingual      BOOLEAN NOT NULL,
    indicator      VARCHAR NOT NULL,
    above          DOUBLE NOT NULL,    -- the largest half point below the pupils' scores (score > above)
    n              INTEGER NOT NULL,   -- pupils with a score
    sum_score      DOUBLE NOT NULL,    -- sum of their scores (each the mean of the pupil's answers)
    sumsq_score    DOUBLE NOT NULL     -- sum of the squared scores
);
DROP TABLE absence_summary;
CREATE TABLE absence_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    special_class  BOOLEAN NOT NULL,
    bilingual      BOOLEAN NOT NULL,
    above_pct      SMALLINT NOT NULL,  -- the largest whole percent below the pupils' absence (-1: none)
    n              INTEGER NOT NULL,   -- pupils with school days
    sum_weight     BIGINT NOT NULL,    -- sum of their months at the school (the weights)
    sum_weighted_pct          DOUBLE NOT NULL,  -- sum of absence % × weight, in total and per kind
    sum_weighted_illness      DOUBLE NOT NULL,
    sum_weighted_authorised   DOUBLE NOT NULL,
    sum_weighted_unauthorised DOUBLE NOT NULL,
    sum_pct        DOUBLE NOT NULL,    -- sum of absence %, and of its square (the unweighted spread)
    sumsq_pct      DOUBLE NOT NULL
);
CREATE TABLE pupil_summary (
    school_year       VARCHAR NOT NULL,
    institution_no    VARCHAR NOT NULL,
    grade             TINYINT NOT NULL,
    gender            VARCHAR NOT NULL,
    class_name        VARCHAR NOT NULL,
    special_class     BOOLEAN NOT NULL,
    bilingual         BOOLEAN NOT NULL,
    reduced_timetable BOOLEAN NOT NULL,
    n                 INTEGER NOT NULL,  -- pupils in the register
    respondents       INTEGER NOT NULL,  -- of them, pupils with at least one well-being answer
    n_absence_social  INTEGER NOT NULL,  -- of them, pupils with both an absence % and a social score
    sum_absence_pct   DOUBLE NOT NULL,   -- those pupils' sum of absence %
    sum_social        DOUBLE NOT NULL    -- and of social well-being scores
);

-- Filled from the rows already in the store (the statements of data/derived_*_summaries.sql then).
CREATE TEMP TABLE summary_scope AS SELECT DISTINCT institution_no, school_year FROM student;
DELETE FROM wellbeing_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO wellbeing_summary
SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class, st.bilingual,
       w.indicator,
       ceil(w.score * 2) / 2 - 0.5 AS above,
       count(*) AS n, sum(w.score) AS sum_score, sum(w.score * w.score) AS sumsq_score
FROM student st
JOIN wellbeing_score w USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;

DELETE FROM absence_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO absence_summary
WITH per_pupil AS (
    SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
           st.bilingual, st.student_key,
           any_value(st.months_enrolled) AS weight,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
               / nullif(sum(a.school_days), 0) AS pct,
           sum(a.illness_days) * 100.0 / nullif(sum(a.school_days), 0) AS illness_pct,
           sum(a.authorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS authorised_pct,
           sum(a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS unauthorised_pct
    FROM student st
    JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
    GROUP BY st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
             st.bilingual, st.student_key
)
SELECT school_year, institution_no, grade, gender, class_name, special_class, bilingual,
       (ceil(pct) - 1)::SMALLINT AS above_pct,
       count(*) AS n, sum(weight) AS sum_weight, sum(pct * weight) AS sum_weighted_pct,
       sum(illness_pct * weight) AS sum_weighted_illness, sum(authorised_pct * weight) AS sum_weighted_authorised,
       sum(unauthorised_pct * weight) AS sum_weighted_unauthorised,
       sum(pct) AS sum_pct, sum(pct * pct) AS sumsq_pct
FROM per_pupil
WHERE pct IS NOT NULL
GROUP BY ALL
ORDER BY school_year, institution_no;

DELETE FROM pupil_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO pupil_summary
WITH pupils AS (
    SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
           st.bilingual, st.reduced_timetable, st.student_key
    FROM student st
    WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
),
absence_pct AS (
    SELECT a.school_year, a.institution_no, a.student_key,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
               / nullif(sum(a.school_days), 0) AS pct
    FROM absence_year a
    WHERE (a.institution_no, a.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
    GROUP BY ALL
),
social AS (
    SELECT w.school_year, w.institution_no, w.student_key, w.score
    FROM wellbeing_score w
    WHERE (w.institution_no, w.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
      AND w.indicator = 'social'
),
respondents AS (
    SELECT DISTINCT a.school_year, a.institution_no, a.student_key
    FROM wellbeing_answer a
    WHERE (a.institution_no, a.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
)
SELECT p.school_year, p.institution_no, p.grade, p.gender, p.class_name, p.special_class, p.bilingual,
       p.reduced_timetable,
       count(*) AS n,
       count(r.student_key) AS respondents,
       count(*) FILTER (WHERE ab.pct IS NOT NULL AND s.score IS NOT NULL) AS n_absence_social,
       coalesce(sum(ab.pct) FILTER (WHERE s.score IS NOT NULL), 0) AS sum_absence_pct,
       coalesce(sum(s.score) FILTER (WHERE ab.pct IS NOT NULL), 0) AS sum_social
FROM pupils p
LEFT JOIN absence_pct ab USING (school_year, institution_no, student_key)
LEFT JOIN social s USING (school_year, institution_no, student_key)
LEFT JOIN respondents r USING (school_year, institution_no, student_key)
GROUP BY ALL
ORDER BY p.school_year, p.institution_no;
DROP TABLE summary_scope;
