-- The absence summaries (migration 20) for the schools and school years in the registered relation
-- `summary_scope` (institution_no, school_year), per school × school year × grade × gender × class ×
-- special class × bilingual (migration 22) × band (`above_pct`: the largest whole percent below the
-- pupil's absence), so a share above the setting is counted at query time (queries/runner.py refuses a threshold off the grid), and per
-- grade × month for the month chart. Kept in the writer's transaction with absence_year (data/reference.py refresh_absence_year) and by the
-- register's writers (data/summaries.py).
DELETE FROM absence_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- Per pupil (absence_year, migration 9) the absence percentage of the school days, in total and per
-- kind, weighted by the months at the school; pupils without school days have no percentage.
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

DELETE FROM absence_month_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- Per month (the month chart): the pupils with school days that month and the days of each kind.
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
