-- The well-being summaries (migration 20) for the schools and school years in the
-- registered relation `summary_scope` (institution_no, school_year): the sufficient statistics per
-- school × school year × grade × gender × class (× special class and bilingual, migration 22: the
-- participation screen's departments and pupil groups) from which Overblik, Trivsel and Kommune compute
-- every figure, its spread and the noise rule without reading a pupil row. Kept in the writer's
-- transaction with the pupils' scores (data/reference.py refresh_derived) and by the register's
-- writers (data/summaries.py). A pupil counts where the pupil-level
-- row's school is the register's that year (the join the screens' queries always made).
-- The threshold of "højest trivsel" is a setting bound at query time, so no count above it is frozen
-- here: the rows are split by band (`above`: the largest half point below the score), and a share
-- above any threshold on that grid is the sum of the bands above it (queries/runner.py refuses a
-- threshold off the grid).
DELETE FROM wellbeing_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- The pupils' indicator scores (data/derived.sql: the mean of the pupil's answers by the official
-- rule), so a mean here is a mean per pupil, as the ministry defines it.
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

DELETE FROM wellbeing_answer_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- Answers per question and option, per grade (the screens break questions down by grade only).
INSERT INTO wellbeing_answer_summary
SELECT st.school_year, st.institution_no, st.grade, a.question_id, a.answer_option, count(*) AS n
FROM student st
JOIN wellbeing_answer a USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;
