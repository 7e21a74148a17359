-- Every school of the caller's municipality (and the municipality as a whole), per school year and
-- indicator: value, spread and n, in long form so each cell is suppressed on its own n.
-- Indicators: well-being (generel mean, højest-trivsel share), absence (mean %, share > 10 %),
-- exam average, national-test "gode" shares (these two from the result summaries, migration 17), and
-- participation (general classes, reduced timetable).
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
    SELECT school_year, institution_no, 'general_class_share', (NOT special_class)::INTEGER * 100.0, 1.0 FROM pupils
    UNION ALL
    SELECT school_year, institution_no, 'reduced_timetable_share', reduced_timetable::INTEGER * 100.0, 1.0 FROM pupils
),
-- The exam average (pupils with all 8 bound grades, as the ministry counts) and the national tests'
-- "gode" shares from the result summaries (migration 17): n, the sum and the sum of squares per school.
summarised AS (
    SELECT school_year, institution_no, 'exam_bound_average' AS indicator, sum(n_complete) AS n,
           sum(sum_complete)::DOUBLE / 8 AS total, sum(sumsq_complete)::DOUBLE / 64 AS squares
    FROM exam_summary
    WHERE NOT special_class AND list_contains($years, school_year)
      AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
    UNION ALL
    SELECT t.school_year, t.institution_no, 'test_good_share_' || t.subject, sum(t.n),
           100.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0),
           10000.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0)
    FROM national_test_summary t
    LEFT JOIN national_test_band b USING (band)
    CROSS JOIN (SELECT lower_share FROM national_test_band WHERE band = 'gode') g
    WHERE t.profile_area = 'samlet' AND list_contains($years, t.school_year)
      AND t.institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
),
summarised_municipality AS (
    SELECT school_year, indicator, sum(n) AS n, sum(total) AS total, sum(squares) AS squares
    FROM summarised GROUP BY ALL
)
SELECT v.school_year, v.institution_no, s.school_name, v.indicator,
       sum(v.value * v.weight) / sum(v.weight) AS value, stddev_samp(v.value) AS sd, count(*) AS n
FROM values v JOIN schools s USING (institution_no)
GROUP BY ALL
UNION ALL
SELECT school_year, NULL, 'Kommunen', indicator, sum(value * weight) / sum(weight), stddev_samp(value), count(*)
FROM values
GROUP BY ALL
UNION ALL
SELECT m.school_year, m.institution_no, s.school_name, m.indicator, m.total / m.n,
       CASE WHEN m.n > 1 THEN sqrt(greatest((m.squares - m.total * m.total / m.n) / (m.n - 1), 0)) END,
       m.n::BIGINT
FROM summarised m JOIN schools s USING (institution_no)
WHERE m.n > 0
UNION ALL
SELECT school_year, NULL, 'Kommunen', indicator, total / n,
       CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END, n::BIGINT
FROM summarised_municipality
WHERE n > 0
ORDER BY 1, 3, 4;
