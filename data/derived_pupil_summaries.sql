-- The pupil summary (migration 22) for the schools and school years in the registered relation
-- `summary_scope` (institution_no, school_year): per school × school year × grade × gender × class ×
-- special class × bilingual × reduced timetable, the register's pupils and what the screens need of
-- two sources at once for the same pupils — the well-being respondents (the 0.-3. chart's n) and
-- absence beside social well-being — so no screen joins pupil rows. Reads absence_year,
-- wellbeing_score and wellbeing_answer: kept by their writers (data/reference.py refresh_derived,
-- refresh_absence_year) and by the register's (data/summaries.py), in the writer's transaction.
DELETE FROM pupil_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- A pupil counts where the pupil-level row's school is the register's that year (as everywhere).
INSERT INTO pupil_summary
WITH pupils AS (
    SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
           st.bilingual, st.reduced_timetable, st.student_key
    FROM student st
    WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
),
-- Each pupil's absence percentage of the school days, as in the absence summary.
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
