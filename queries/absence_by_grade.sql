-- Absence per grade in one school year for a school and its municipality: mean of pupils'
-- percentages (weighted by months at the school) and the shares above 10 % and 15 %.
-- level: aggregate
-- scope: school
-- keys: level, grade
-- n: n
-- partition: level
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
-- The absence summary (migration 20): per band of whole percents the pupils, their weights (months at
-- the school) and weighted percentages, so a share above the setting is the sum of the bands above it.
summed AS (
    SELECT lvl.level, s.grade, sum(s.n)::BIGINT AS n, sum(s.sum_weight) AS weight,
           sum(s.sum_weighted_pct) AS weighted,
           coalesce(sum(s.n) FILTER (WHERE s.above_pct >= $high_above_pct), 0) AS over10,
           coalesce(sum(s.n) FILTER (WHERE s.above_pct >= 15), 0) AS over15
    FROM absence_summary s
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE s.institution_no IN (SELECT institution_no FROM peers) AND s.school_year = $school_year
      AND (lvl.level = 'kommune' OR s.institution_no = $school)
    GROUP BY ALL
)
SELECT level, grade, weighted / weight AS mean, over10::DOUBLE / n * 100 AS over10_share,
       over15::DOUBLE / n * 100 AS over15_share, n
FROM summed
ORDER BY level, grade;
