-- Version 20: summaries of well-being and absence, kept by every writer in the writer's own
-- transaction (data/derived_survey_summaries.sql, data/summaries.py): per school × school year ×
-- grade × gender × class (× indicator, or × question and answer per grade) the sufficient
-- statistics — counts, sums, sums of squares, counts per band — from which the screens compute
-- every well-being and absence figure and its uncertainty without reading a pupil row. Split by
-- band so a threshold set in settings.toml is applied at query time, never frozen here.
CREATE TABLE wellbeing_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    above          DOUBLE NOT NULL,    -- the largest half point below the pupils' scores (score > above)
    n              INTEGER NOT NULL,   -- pupils with a score
    sum_score      DOUBLE NOT NULL,    -- sum of their scores (each the mean of the pupil's answers)
    sumsq_score    DOUBLE NOT NULL     -- sum of the squared scores
);
CREATE TABLE wellbeing_answer_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    question_id    VARCHAR NOT NULL,
    answer_option  TINYINT NOT NULL,
    n              INTEGER NOT NULL    -- answers with this option
);
CREATE TABLE absence_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL,
    gender         VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
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
CREATE TABLE absence_month_summary (
    school_year       VARCHAR NOT NULL,
    institution_no    VARCHAR NOT NULL,
    grade             TINYINT NOT NULL,
    month             DATE NOT NULL,
    n                 INTEGER NOT NULL,   -- pupils with school days that month
    school_days       INTEGER NOT NULL,   -- their school days, and their absent days of each kind
    illness_days      DECIMAL(18,1) NOT NULL,
    authorised_days   DECIMAL(18,1) NOT NULL,
    unauthorised_days DECIMAL(18,1) NOT NULL
);

-- Filled from the rows already in the store (the same statements as data/derived_survey_summaries.sql then).
CREATE TEMP TABLE summary_scope AS SELECT DISTINCT institution_no, school_year FROM student;
DELETE FROM wellbeing_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO wellbeing_summary
SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, w.indicator,
       ceil(w.score * 2) / 2 - 0.5 AS above,
       count(*) AS n, sum(w.score) AS sum_score, sum(w.score * w.score) AS sumsq_score
FROM student st
JOIN wellbeing_score w USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;

DELETE FROM wellbeing_answer_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO wellbeing_answer_summary
SELECT st.school_year, st.institution_no, st.grade, a.question_id, a.answer_option, count(*) AS n
FROM student st
JOIN wellbeing_answer a USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;

DELETE FROM absence_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO absence_summary
WITH per_pupil AS (
    SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.student_key,
           any_value(st.months_enrolled) AS weight,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
               / nullif(sum(a.school_days), 0) AS pct,
           sum(a.illness_days) * 100.0 / nullif(sum(a.school_days), 0) AS illness_pct,
           sum(a.authorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS authorised_pct,
           sum(a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS unauthorised_pct
    FROM student st
    JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
    GROUP BY st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.student_key
)
SELECT school_year, institution_no, grade, gender, class_name, (ceil(pct) - 1)::SMALLINT AS above_pct,
       count(*) AS n, sum(weight) AS sum_weight, sum(pct * weight) AS sum_weighted_pct,
       sum(illness_pct * weight) AS sum_weighted_illness, sum(authorised_pct * weight) AS sum_weighted_authorised,
       sum(unauthorised_pct * weight) AS sum_weighted_unauthorised,
       sum(pct) AS sum_pct, sum(pct * pct) AS sumsq_pct
FROM per_pupil
WHERE pct IS NOT NULL
GROUP BY ALL
ORDER BY school_year, institution_no;
DELETE FROM absence_month_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO absence_month_summary
SELECT st.school_year, st.institution_no, st.grade, a.month, count(DISTINCT st.student_key) AS n,
       sum(a.school_days) AS school_days, sum(a.illness_days) AS illness_days,
       sum(a.authorised_days) AS authorised_days, sum(a.unauthorised_days) AS unauthorised_days
FROM student st
JOIN absence a USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
  AND a.school_days > 0
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;
DROP TABLE summary_scope;
