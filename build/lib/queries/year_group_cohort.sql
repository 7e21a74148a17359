-- The pupils of one year group followed back through the years as they moved up the grades
-- (a cohort, not the same grade each year): absence, social well-being and test "gode" share per
-- school year, for the pupils who are in the year group now.
-- level: aggregate
-- scope: school
-- roles: ledelse, team, admin
-- keys: school_year, grade_then, indicator
-- n: n
WITH cohort AS (
    SELECT student_key FROM student
    WHERE institution_no = $school AND school_year = $school_year AND grade = $grade
),
history AS (
    SELECT st.* FROM student st JOIN cohort USING (student_key)
    WHERE st.institution_no = $school AND st.school_year <= $school_year
),
absence_pct AS (
    SELECT h.school_year, h.student_key, sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
           / nullif(sum(a.school_days), 0) AS pct
    FROM history h JOIN absence_year a USING (school_year, student_key, institution_no) GROUP BY ALL
),
values AS (
    SELECT h.school_year, h.grade, h.student_key, 'absence_total_pct' AS indicator, ab.pct AS value
    FROM history h JOIN absence_pct ab USING (school_year, student_key) WHERE ab.pct IS NOT NULL
    UNION ALL
    SELECT h.school_year, h.grade, h.student_key, 'wellbeing_social', w.score
    FROM history h JOIN wellbeing_score w USING (school_year, student_key, institution_no) WHERE w.indicator = 'social'
    UNION ALL
    SELECT h.school_year, h.grade, h.student_key, 'test_good_share', (t.points::DOUBLE / t.max_points
           >= (SELECT lower_share FROM national_test_band WHERE band = 'gode'))::INTEGER * 100.0
    FROM history h JOIN national_test t USING (school_year, student_key, institution_no) WHERE t.profile_area = 'samlet'
)
SELECT school_year, grade AS grade_then, indicator, avg(value) AS value, count(DISTINCT student_key) AS n
FROM values GROUP BY school_year, grade, indicator
ORDER BY school_year, indicator;
