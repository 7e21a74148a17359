-- Every school of the caller's municipality (and the municipality as a whole), per school year and
-- indicator: value, spread and n, in long form so each cell is suppressed on its own n.
-- Indicators: well-being (generel mean, højest-trivsel share), absence (mean %, share > 10 %) from
-- their summaries (migration 20), exam average, national-test "gode" shares (the result summaries,
-- migration 17), and participation (general classes, reduced timetable) from the register.
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
values AS (
    SELECT school_year, institution_no, 'general_class_share' AS indicator, (NOT special_class)::INTEGER * 100.0 AS value
    FROM pupils
    UNION ALL
    SELECT school_year, institution_no, 'reduced_timetable_share', reduced_timetable::INTEGER * 100.0 FROM pupils
),
-- Well-being and absence from their summaries (migration 20), the exam average (pupils with all 8
-- bound grades, as the ministry counts) and the national tests' "gode" shares from the result
-- summaries (migration 17): per school n, the sum and the sum of squares of the pupils' values, and
-- the weighted sum and the weights of the mean (absence is weighted by the months at the school).
-- A share above a setting is the sum of the bands at or above it.
summarised AS (
    SELECT school_year, institution_no, 'wellbeing_generel' AS indicator, sum(n) AS n, sum(sum_score) AS total,
           sum(sumsq_score) AS squares, sum(sum_score) AS weighted, sum(n) AS weight
    FROM wellbeing_summary
    WHERE indicator = 'generel' AND list_contains($years, school_year)
      AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
    UNION ALL
    SELECT school_year, institution_no, 'wellbeing_high_share', sum(n),
           100.0 * coalesce(sum(n) FILTER (WHERE above >= $high_above), 0),
           10000.0 * coalesce(sum(n) FILTER (WHERE above >= $high_above), 0),
           100.0 * coalesce(sum(n) FILTER (WHERE above >= $high_above), 0), sum(n)
    FROM wellbeing_summary
    WHERE indicator = 'generel' AND list_contains($years, school_year)
      AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
    UNION ALL
    SELECT school_year, institution_no, 'absence_total_pct', sum(n), sum(sum_pct), sum(sumsq_pct),
           sum(sum_weighted_pct), sum(sum_weight)
    FROM absence_summary
    WHERE list_contains($years, school_year) AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
    UNION ALL
    SELECT school_year, institution_no, 'absence_over10_share', sum(n),
           100.0 * coalesce(sum(n) FILTER (WHERE above_pct >= $high_above_pct), 0),
           10000.0 * coalesce(sum(n) FILTER (WHERE above_pct >= $high_above_pct), 0),
           100.0 * coalesce(sum(n) FILTER (WHERE above_pct >= $high_above_pct), 0), sum(n)
    FROM absence_summary
    WHERE list_contains($years, school_year) AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
    UNION ALL
    SELECT school_year, institution_no, 'exam_bound_average' AS indicator, sum(n_complete) AS n,
           sum(sum_complete)::DOUBLE / 8 AS total, sum(sumsq_complete)::DOUBLE / 64 AS squares,
           sum(sum_complete)::DOUBLE / 8, sum(n_complete)
    FROM exam_summary
    WHERE NOT special_class AND list_contains($years, school_year)
      AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
    UNION ALL
    SELECT t.school_year, t.institution_no, 'test_good_share_' || t.subject, sum(t.n),
           100.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0),
           10000.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0),
           100.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0), sum(t.n)
    FROM national_test_summary t
    LEFT JOIN national_test_band b USING (band)
    CROSS JOIN (SELECT lower_share FROM national_test_band WHERE band = 'gode') g
    WHERE t.profile_area = 'samlet' AND list_contains($years, t.school_year)
      AND t.institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
),
summarised_municipality AS (
    SELECT school_year, indicator, sum(n) AS n, sum(total) AS total, sum(squares) AS squares,
           sum(weighted) AS weighted, sum(weight) AS weight
    FROM summarised GROUP BY ALL
)
SELECT v.school_year, v.institution_no, s.school_name, v.indicator,
       avg(v.value) AS value, stddev_samp(v.value) AS sd, count(*) AS n
FROM values v JOIN schools s USING (institution_no)
GROUP BY ALL
UNION ALL
SELECT school_year, NULL, 'Kommunen', indicator, avg(value), stddev_samp(value), count(*)
FROM values
GROUP BY ALL
UNION ALL
SELECT m.school_year, m.institution_no, s.school_name, m.indicator, m.weighted / m.weight,
       CASE WHEN m.n > 1 THEN sqrt(greatest((m.squares - m.total * m.total / m.n) / (m.n - 1), 0)) END,
       m.n::BIGINT
FROM summarised m JOIN schools s USING (institution_no)
WHERE m.n > 0
UNION ALL
SELECT school_year, NULL, 'Kommunen', indicator, weighted / weight,
       CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END, n::BIGINT
FROM summarised_municipality
WHERE n > 0
ORDER BY 1, 3, 4;
