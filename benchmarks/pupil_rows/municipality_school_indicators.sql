-- Every school of the caller's municipality (and the municipality as a whole), per school year and
-- indicator: value, spread and n, in long form so each cell is suppressed on its own n.
-- Indicators: well-being (generel mean, højest-trivsel share), absence (mean %, share > 10 %),
-- exam average, national-test "gode" shares, and participation (general classes, reduced timetable).
-- level: aggregate
-- scope: none
-- keys: school_year, institution_no, school_name, indicator
-- n: n
-- roles: kommune, admin
WITH schools AS (
    SELECT institution_no, name AS school_name FROM school
    WHERE municipality_code = $municipality
      AND ($scope_schools IS NULL OR list_contains($scope_schools, institution_no))
),
pupils AS (
    SELECT st.* FROM student st
    WHERE list_contains($years, st.school_year)
      AND st.institution_no IN (SELECT institution_no FROM schools)  -- a semi-join: only these schools' blocks are read
),
absence_pct AS (
    SELECT p.school_year, p.institution_no, p.student_key, any_value(p.months_enrolled) AS weight,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS pct
    FROM pupils p JOIN absence_year a USING (school_year, student_key, institution_no) GROUP BY ALL
),
exam_avg AS (
    SELECT p.school_year, p.institution_no, p.student_key, avg(e.grade) AS average
    FROM pupils p JOIN exam_grade e USING (school_year, student_key, institution_no)
    WHERE e.bound AND NOT p.special_class GROUP BY ALL
    HAVING count(*) = 8  -- only pupils with every bound grade, as the ministry counts
),
values AS (
    SELECT p.school_year, p.institution_no, 'wellbeing_generel' AS indicator, w.score AS value, 1.0 AS weight
    FROM pupils p JOIN wellbeing_score w USING (school_year, student_key, institution_no) WHERE w.indicator = 'generel'
    UNION ALL
    SELECT p.school_year, p.institution_no, 'wellbeing_high_share', (w.score > $high_above)::INTEGER * 100.0, 1.0
    FROM pupils p JOIN wellbeing_score w USING (school_year, student_key, institution_no) WHERE w.indicator = 'generel'
    UNION ALL
    SELECT school_year, institution_no, 'absence_total_pct', pct, weight FROM absence_pct WHERE pct IS NOT NULL
    UNION ALL
    SELECT school_year, institution_no, 'absence_over10_share', (pct > $high_above_pct)::INTEGER * 100.0, 1.0
    FROM absence_pct WHERE pct IS NOT NULL
    UNION ALL
    SELECT school_year, institution_no, 'exam_bound_average', average, 1.0 FROM exam_avg
    UNION ALL
    SELECT p.school_year, p.institution_no, 'test_good_share_' || t.subject,
           (t.points::DOUBLE / t.max_points >= (SELECT lower_share FROM national_test_band WHERE band = 'gode'))::INTEGER * 100.0, 1.0
    FROM pupils p JOIN national_test t USING (school_year, student_key, institution_no) WHERE t.profile_area = 'samlet'
    UNION ALL
    SELECT school_year, institution_no, 'general_class_share', (NOT special_class)::INTEGER * 100.0, 1.0 FROM pupils
    UNION ALL
    SELECT school_year, institution_no, 'reduced_timetable_share', reduced_timetable::INTEGER * 100.0, 1.0 FROM pupils
)
SELECT v.school_year, v.institution_no, s.school_name, v.indicator,
       sum(v.value * v.weight) / sum(v.weight) AS value, stddev_samp(v.value) AS sd, count(*) AS n
FROM values v JOIN schools s USING (institution_no)
GROUP BY ALL
UNION ALL
SELECT school_year, NULL, 'Kommunen', indicator, sum(value * weight) / sum(weight), stddev_samp(value), count(*)
FROM values
GROUP BY ALL
ORDER BY 1, 3, 4;
