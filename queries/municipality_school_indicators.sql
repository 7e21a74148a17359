-- Every school of the caller's municipality (and the municipality as a whole), per school year and
-- indicator: value, spread and n, in long form so each cell is suppressed on its own n.
-- Indicators: well-being (generel mean, højest-trivsel share), absence (mean %, share > 10 %), exam
-- average and national-test "gode" shares from the class summaries (migration 25), and participation
-- (general classes, reduced timetable) from the register's summary (migration 22): no pupil row read.
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
-- The register's shares from the pupil summary (migration 22): per school the pupils in general
-- classes and on a reduced timetable, each pupil a value of 100 or 0.
registered AS (
    SELECT school_year, institution_no, sum(n) AS n, sum(n) FILTER (WHERE NOT special_class) AS general,
           sum(n) FILTER (WHERE reduced_timetable) AS reduced
    FROM pupil_summary
    WHERE list_contains($years, school_year) AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY ALL
),
shares AS (
    SELECT school_year, institution_no, 'general_class_share' AS indicator, coalesce(general, 0) AS k, n FROM registered
    UNION ALL
    SELECT school_year, institution_no, 'reduced_timetable_share', coalesce(reduced, 0), n FROM registered
),
-- Well-being, absence, the exam average (pupils with all 8 bound grades, as the ministry counts) and
-- the national tests' "gode" shares from the class summaries (migration 25): per school n, the sum and
-- the sum of squares of the pupils' values, and the weighted sum and the weights of the mean (absence
-- is weighted by the months at the school). A share above a setting is the sum of the bands at or
-- above it.
summarised AS (
    SELECT school_year, institution_no, indicator, sum(n) AS n, sum(total) AS total, sum(squares) AS squares,
           sum(weighted) AS weighted, sum(weight) AS weight
    FROM class_summary
    WHERE list_contains($years, school_year) AND institution_no IN (SELECT institution_no FROM schools)
      AND (indicator IN ('wellbeing_generel', 'absence_total_pct', 'exam_bound_average')
           OR indicator LIKE 'test_good_share_%')
    GROUP BY ALL
    UNION ALL
    SELECT school_year, institution_no, indicator, n, 100.0 * high, 10000.0 * high, 100.0 * high, n
    FROM (
        SELECT school_year, institution_no, indicator, sum(n) AS n,
               coalesce(sum(n) FILTER (WHERE above >= CASE indicator WHEN 'wellbeing_high_share' THEN $high_above
                                                                     ELSE $high_above_pct END), 0) AS high
        FROM class_band_summary
        WHERE list_contains($years, school_year) AND institution_no IN (SELECT institution_no FROM schools)
        GROUP BY ALL
    )
),
summarised_municipality AS (
    SELECT school_year, indicator, sum(n) AS n, sum(total) AS total, sum(squares) AS squares,
           sum(weighted) AS weighted, sum(weight) AS weight
    FROM summarised GROUP BY ALL
)
SELECT r.school_year, r.institution_no, s.school_name, r.indicator, 100.0 * r.k / r.n AS value,
       CASE WHEN r.n > 1 THEN 100.0 * sqrt(r.k * (r.n - r.k) / (r.n * (r.n - 1.0))) END AS sd, r.n::BIGINT AS n
FROM shares r JOIN schools s USING (institution_no)
UNION ALL
SELECT school_year, NULL, 'Kommunen', indicator, 100.0 * sum(k) / sum(n),
       CASE WHEN sum(n) > 1 THEN 100.0 * sqrt(sum(k) * (sum(n) - sum(k)) / (sum(n) * (sum(n) - 1.0))) END,
       sum(n)::BIGINT
FROM shares
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
