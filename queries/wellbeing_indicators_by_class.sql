-- Well-being indicators (4.-9. grade) by class in one school year for a school: mean score, spread, share above $high_above and n.
-- level: aggregate
-- scope: school
-- keys: level, indicator, class_name
-- n: n
-- partition: level, indicator
-- roles: ledelse, team, admin
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
-- The well-being summary (migration 20): n, sum and sum of squares of the pupils' scores per band,
-- so the share above the setting is the sum of the bands at or above it.
summed AS (
    SELECT lvl.level, s.indicator, s.class_name, sum(s.n)::BIGINT AS n, sum(s.sum_score) AS total,
           sum(s.sumsq_score) AS squares, coalesce(sum(s.n) FILTER (WHERE s.above >= $high_above), 0) AS high
    FROM wellbeing_summary s
    CROSS JOIN (VALUES ('skole')) lvl(level)
    WHERE s.institution_no IN (SELECT institution_no FROM peers) AND s.school_year = $school_year
      AND (lvl.level = 'kommune' OR s.institution_no = $school)
    GROUP BY ALL
)
SELECT level, indicator, class_name, total / n AS mean, CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END AS sd,
       high::DOUBLE / n * 100 AS high_share, n
FROM summed
ORDER BY level, indicator, class_name;
