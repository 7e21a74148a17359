-- One year group of a school in one school year: its classes side by side (pupils, absence,
-- share above 10 %, social well-being at class level, national-test "gode" share).
-- level: aggregate
-- scope: school
-- roles: ledelse, team, admin
-- keys: grade, class_name, indicator
-- n: n
-- partition: grade, indicator
WITH pupils AS (
    SELECT * FROM student
    WHERE institution_no = $school AND school_year = $school_year AND grade = $grade
),
absence_pct AS (
    SELECT p.student_key, sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
           / nullif(sum(a.school_days), 0) AS pct
    FROM pupils p JOIN absence_year a USING (school_year, student_key, institution_no) GROUP BY 1
),
values AS (
    SELECT p.class_name, p.student_key, 'absence_total_pct' AS indicator, ab.pct AS value
    FROM pupils p JOIN absence_pct ab USING (student_key) WHERE ab.pct IS NOT NULL
    UNION ALL
    SELECT p.class_name, p.student_key, 'absence_over10_share', (ab.pct > $high_above_pct)::INTEGER * 100.0
    FROM pupils p JOIN absence_pct ab USING (student_key) WHERE ab.pct IS NOT NULL
    UNION ALL
    SELECT p.class_name, p.student_key, 'wellbeing_social', w.score
    FROM pupils p JOIN wellbeing_score w USING (school_year, student_key, institution_no) WHERE w.indicator = 'social'
    UNION ALL
    SELECT p.class_name, p.student_key, 'test_good_share', (t.points::DOUBLE / t.max_points
           >= (SELECT lower_share FROM national_test_band WHERE band = 'gode'))::INTEGER * 100.0
    FROM pupils p JOIN national_test t USING (school_year, student_key, institution_no) WHERE t.profile_area = 'samlet'
)
SELECT $grade AS grade, class_name, indicator, avg(value) AS value, count(DISTINCT student_key) AS n
FROM values GROUP BY class_name, indicator
UNION ALL
SELECT $grade, class_name, 'pupils', count(*), count(*) FROM pupils GROUP BY ALL
ORDER BY class_name, indicator;
