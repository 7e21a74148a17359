-- Gaps between pupil groups (bilingual or not; girls and boys) in one school year for a school:
-- share with 10 %+ absence and share with low social well-being, per group.
-- level: aggregate
-- scope: school
-- keys: comparison, pupil_group, indicator
-- n: n
-- partition: comparison, indicator
WITH absence_pct AS (
    SELECT st.student_key,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS pct
    FROM student st JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE st.institution_no = $school AND st.school_year = $school_year
    GROUP BY ALL
),
pupils AS (
    SELECT st.student_key, st.gender, st.bilingual, ab.pct, soc.score AS social
    FROM student st
    LEFT JOIN absence_pct ab USING (student_key)
    LEFT JOIN wellbeing_score soc ON soc.school_year = st.school_year AND soc.student_key = st.student_key
         AND soc.institution_no = st.institution_no
         AND soc.indicator = 'social'
    WHERE st.institution_no = $school AND st.school_year = $school_year
),
grouped AS (
    SELECT 'Tosprogede / ikke tosprogede' AS comparison,
           CASE WHEN bilingual THEN 'Tosprogede' ELSE 'Ikke tosprogede' END AS pupil_group, pct, social FROM pupils
    UNION ALL
    SELECT 'Piger / drenge', CASE WHEN gender = 'pige' THEN 'Piger' ELSE 'Drenge' END, pct, social FROM pupils
)
SELECT comparison, pupil_group, 'absence_over10' AS indicator,
       avg((pct > $high_above_pct)::INTEGER) * 100 AS value, count(*) AS n
FROM grouped WHERE pct IS NOT NULL GROUP BY ALL
UNION ALL
SELECT comparison, pupil_group, 'low_social', avg((social <= $low_social)::INTEGER) * 100, count(*)
FROM grouped WHERE social IS NOT NULL GROUP BY ALL
ORDER BY comparison, indicator, pupil_group;
