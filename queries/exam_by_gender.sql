-- 9th-grade bound-subject average per gender in one school year, for a school and its municipality;
-- only pupils with all 8 bound grades count (the ministry's rule, as exam_bound_average_school_and_municipality).
-- From the result summaries (migration 17).
-- level: aggregate
-- scope: school
-- keys: level, gender
-- n: n
-- partition: level
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
groups AS (
    SELECT lvl.level, e.gender, sum(e.n_complete)::BIGINT AS n, sum(e.sum_complete)::DOUBLE / 8 AS total,
           sum(e.sumsq_complete)::DOUBLE / 64 AS squares
    FROM exam_summary e
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE e.institution_no IN (SELECT institution_no FROM peers) AND e.school_year = $school_year
      AND NOT e.special_class AND (lvl.level = 'kommune' OR e.institution_no = $school)
    GROUP BY ALL
)
SELECT level, gender, total / n AS mean,
       CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END AS sd, n
FROM groups
WHERE n > 0
ORDER BY level, gender;
