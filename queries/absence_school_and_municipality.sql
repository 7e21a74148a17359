-- Absence for a school and its municipality, per school year: the mean of pupils' absence
-- percentages weighted by months at the school (in total and per kind), and the shares of
-- pupils above $high_above_pct and above 15 %. Grades $grade_from-$grade_to.
-- level: aggregate
-- scope: school
-- keys: level, school_year
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
-- The absence summary (migration 20): per band of whole percents the pupils, their weights (months at
-- the school), weighted percentages in total and per kind, and the sum and sum of squares of the
-- percentages (the spread); a share above the setting is the sum of the bands above it.
summed AS (
    SELECT lvl.level, s.school_year, sum(s.n)::BIGINT AS n, sum(s.sum_weight) AS weight,
           sum(s.sum_weighted_pct) AS weighted, sum(s.sum_weighted_illness) AS illness,
           sum(s.sum_weighted_authorised) AS authorised, sum(s.sum_weighted_unauthorised) AS unauthorised,
           sum(s.sum_pct) AS total, sum(s.sumsq_pct) AS squares,
           coalesce(sum(s.n) FILTER (WHERE s.above_pct >= $high_above_pct), 0) AS over,
           coalesce(sum(s.n) FILTER (WHERE s.above_pct >= 15), 0) AS over15
    FROM absence_summary s
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE s.institution_no IN (SELECT institution_no FROM peers)
      AND list_contains($years, s.school_year) AND s.grade BETWEEN $grade_from AND $grade_to
      AND (lvl.level = 'kommune' OR s.institution_no = $school)
    GROUP BY ALL
)
SELECT level, school_year, weighted / weight AS mean,
       CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END AS sd,
       illness / weight AS illness_mean, authorised / weight AS authorised_mean,
       unauthorised / weight AS unauthorised_mean,
       over::DOUBLE / n * 100 AS over_share, over15::DOUBLE / n * 100 AS over15_share, n
FROM summed
ORDER BY level, school_year;
