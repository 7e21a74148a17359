-- 9th-grade exam average in the bound subjects for a school and its municipality, per school
-- year, as published: the mean of pupils' bound-subject averages, special-class pupils left out,
-- and, as the ministry counts, only pupils with a grade in every one of the 8 bound exams (a pupil
-- lacking one, e.g. exempted or ill, is left out rather than averaged over the rest).
-- From the result summaries (migration 17): a pupil's average is the sum of the 8 grades / 8, so
-- the mean is sum_complete / 8 / n and the spread comes from the sum of squares.
-- level: aggregate
-- scope: school
-- keys: level, school_year
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
groups AS (
    SELECT lvl.level, e.school_year, sum(e.n_complete)::BIGINT AS n, sum(e.sum_complete)::DOUBLE / 8 AS total,
           sum(e.sumsq_complete)::DOUBLE / 64 AS squares
    FROM exam_summary e
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE e.institution_no IN (SELECT institution_no FROM peers) AND list_contains($years, e.school_year)
      AND NOT e.special_class AND (lvl.level = 'kommune' OR e.institution_no = $school)
    GROUP BY ALL
)
SELECT level, school_year, total / n AS mean,
       CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END AS sd, n
FROM groups
WHERE n > 0
ORDER BY level, school_year;
